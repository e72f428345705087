package dev.ghost.internal.check;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The grants a migration needs, read from {@code SHOW GRANTS}: on the schema, to create, alter, fill, lock, rename
 * and drop tables; globally, to read the binlog as a replica. Roles are not expanded, so a user whose grants come
 * through a role is not refused here (the server will say so later if a grant is missing).
 */
final class Privileges {

    static final List<String> SCHEMA = List.of("ALTER", "CREATE", "DELETE", "DROP", "INDEX", "INSERT", "LOCK TABLES",
            "SELECT", "UPDATE");
    static final List<String> GLOBAL = List.of("REPLICATION SLAVE", "REPLICATION CLIENT");

    private static final Pattern GRANT = Pattern.compile("^GRANT (.+?) ON (\\S+) TO ", Pattern.CASE_INSENSITIVE);

    private Privileges() {
    }

    static void check(Preflight.Context context) throws SQLException {
        List<String> grants = new ArrayList<>();
        try (Statement statement = context.connection().createStatement();
             ResultSet rows = statement.executeQuery("SHOW GRANTS")) {
            while (rows.next()) {
                grants.add(rows.getString(1));
            }
        }
        List<String> missing = missing(grants, context.table().schema(), context.options().triggers().include());
        if (!missing.isEmpty()) {
            throw context.refuse("privileges", "cannot migrate " + context.table().quoted() + ": the user lacks "
                    + String.join(", ", missing) + ". Grant them, e.g. GRANT " + String.join(", ", missing)
                    .replaceAll(" ON [^,]+", "") + " ... to the user (schema grants on `" + context.table().schema()
                    + "`.*, replication grants ON *.*)");
        }
    }

    /** The missing grants, e.g. {@code REPLICATION SLAVE ON *.*}; empty when roles make the answer unknowable. */
    static List<String> missing(List<String> grantLines, String schema) {
        return missing(grantLines, schema, false);
    }

    /**
     * As {@link #missing(List, String)}; {@code triggers}: the migration creates triggers on the new table, which
     * needs TRIGGER on the schema (checked now, not found missing at the cut-over after the whole copy).
     */
    static List<String> missing(List<String> grantLines, String schema, boolean triggers) {
        Set<String> global = new LinkedHashSet<>();
        Set<String> onSchema = new LinkedHashSet<>();
        for (String line : grantLines) {
            Matcher grant = GRANT.matcher(line.trim());
            if (!grant.find()) {
                if (line.trim().toUpperCase(Locale.ROOT).startsWith("GRANT ")) {
                    return List.of(); // a role grant ("GRANT `role` TO ..."): we cannot see through it
                }
                continue;
            }
            Set<String> privileges = privileges(grant.group(1));
            String target = grant.group(2).replace("`", "");
            if (target.equals("*.*")) {
                global.addAll(privileges);
            } else if (target.equalsIgnoreCase(schema.replace("`", "") + ".*")
                    || target.equals(schema + ".*")) {
                onSchema.addAll(privileges);
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> needed = new ArrayList<>(SCHEMA);
        if (triggers) {
            needed.add("TRIGGER");
        }
        for (String privilege : needed) {
            if (!has(global, privilege) && !has(onSchema, privilege)) {
                missing.add(privilege + " ON `" + schema + "`.*");
            }
        }
        for (String privilege : GLOBAL) {
            if (!has(global, privilege)) {
                missing.add(privilege + " ON *.*");
            }
        }
        return missing;
    }

    private static boolean has(Set<String> granted, String privilege) {
        if (granted.contains("ALL PRIVILEGES") || granted.contains("ALL") || granted.contains(privilege)) {
            return true;
        }
        // MariaDB 10.5 renamed REPLICATION CLIENT to BINLOG MONITOR (and keeps the old name as an alias).
        return privilege.equals("REPLICATION CLIENT") && granted.contains("BINLOG MONITOR");
    }

    private static Set<String> privileges(String list) {
        Set<String> result = new LinkedHashSet<>();
        for (String part : list.split(",")) {
            String privilege = part.trim().replaceAll("\\s*\\(.*\\)$", "").toUpperCase(Locale.ROOT);
            result.add(privilege.replaceAll("\\s+", " "));
        }
        return result;
    }
}
