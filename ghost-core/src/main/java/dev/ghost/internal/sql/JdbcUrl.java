package dev.ghost.internal.sql;

import dev.ghost.ServerAddress;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server, database and connection properties named by a MySQL or MariaDB JDBC URL, for the framework
 * integrations that receive a URL and must open ghost's own connections from it. Only a URL that names one server is
 * taken: with a failover or load-balancing list, which host is the primary is the user's knowledge, not ours.
 */
public final class JdbcUrl {

    /** The port the drivers use when a URL names none. */
    public static final int DEFAULT_PORT = 3306;

    /** jdbc:mysql://, jdbc:mariadb://, and the drivers' sub-protocols (jdbc:mysql:replication://...). */
    private static final Pattern PREFIX = Pattern.compile("(?i)^jdbc:(?:mysql|mariadb)(?::[a-z]+)*://");
    private static final Pattern ADDRESS_HOST = Pattern.compile("(?i)\\(host=([^)]+)\\)");
    private static final Pattern ADDRESS_PORT = Pattern.compile("(?i)\\(port=([^)]*)\\)");

    private final ServerAddress server;
    private final String database;
    private final String query;

    private JdbcUrl(ServerAddress server, String database, String query) {
        this.server = server;
        this.database = database;
        this.query = query;
    }

    /**
     * Parses {@code url}.
     *
     * @throws IllegalArgumentException saying what is wrong with the (redacted) URL; callers add how to fix it
     */
    public static JdbcUrl parse(String url) {
        Matcher prefix = url == null ? null : PREFIX.matcher(url.trim());
        if (prefix == null || !prefix.find()) {
            throw new IllegalArgumentException("`" + redacted(url) + "` is not a MySQL or MariaDB JDBC URL "
                    + "(jdbc:mysql://host:port/database or jdbc:mariadb://host:port/database)");
        }
        String rest = url.trim().substring(prefix.end());
        int end = indexOfAny(rest, "/?;");
        String authority = end < 0 ? rest : rest.substring(0, end);
        String path = end < 0 || rest.charAt(end) != '/' ? "" : rest.substring(end + 1);
        int pathEnd = indexOfAny(path, "?;");
        String database = decode(pathEnd < 0 ? path : path.substring(0, pathEnd));
        String query = end < 0 ? "" : rest.charAt(end) != '/' ? rest.substring(end + 1)
                : pathEnd < 0 ? "" : path.substring(pathEnd + 1);
        return new JdbcUrl(server(authority.substring(authority.lastIndexOf('@') + 1), url), // user:password@host
                database.isEmpty() ? null : database, query);
    }

    /** Like {@link #parse(String)}, empty instead of an exception. */
    public static Optional<JdbcUrl> tryParse(String url) {
        try {
            return Optional.of(parse(url));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ServerAddress server(String hosts, String url) {
        if (hosts.isEmpty()) {
            return ServerAddress.of("localhost", DEFAULT_PORT); // jdbc:mysql:///db, as the drivers read it
        }
        if (hosts.contains(",")) {
            throw new IllegalArgumentException("`" + redacted(url) + "` names several hosts");
        }
        if (hosts.startsWith("address=") || hosts.startsWith("(")) {
            Matcher host = ADDRESS_HOST.matcher(hosts);
            Matcher port = ADDRESS_PORT.matcher(hosts);
            if (!host.find()) {
                throw new IllegalArgumentException("`" + redacted(url) + "` has an address=(...) without a host");
            }
            return ServerAddress.of(host.group(1), port(port.find() ? port.group(1) : "", url));
        }
        if (hosts.startsWith("[")) { // IPv6: [::1]:3306
            int close = hosts.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("`" + redacted(url) + "` has an IPv6 host without its closing ]");
            }
            String afterHost = hosts.substring(close + 1);
            return ServerAddress.of(hosts.substring(1, close),
                    port(afterHost.startsWith(":") ? afterHost.substring(1) : afterHost, url));
        }
        int colon = hosts.lastIndexOf(':');
        return colon < 0 ? ServerAddress.of(hosts, DEFAULT_PORT)
                : ServerAddress.of(hosts.substring(0, colon), port(hosts.substring(colon + 1), url));
    }

    private static int port(String text, String url) {
        if (text.isEmpty()) {
            return DEFAULT_PORT;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("`" + redacted(url) + "` has port `" + text
                    + "`, which is not a number", e);
        }
    }

    /** The one server the URL names. */
    public ServerAddress server() {
        return server;
    }

    /** The database in the URL's path, or null when it names none. */
    public String database() {
        return database;
    }

    /**
     * A property of the URL's query ({@code ?a=1&b=2}, or MariaDB's {@code ;a=1}), decoded, or null.
     *
     * @param name the property's name, in any case
     */
    public String property(String name) {
        for (String pair : query.split("[&;]")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equalsIgnoreCase(name)) {
                return decode(pair.substring(equals + 1));
            }
        }
        return null;
    }

    /** The URL without the passwords that its query or authority may carry, for messages and logs. */
    public static String redacted(String url) {
        if (url == null) {
            return "(none)";
        }
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]*):[^/@]*@", "//$1:***@");
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "jdbc:mysql://" + server + (database == null ? "" : "/" + database);
    }
}
