package dev.ghost.flyway;

import dev.ghost.ServerAddress;

import java.util.Locale;

/**
 * The server and database named by a MySQL or MariaDB JDBC URL ({@code jdbc:mysql://host:port/db?...} or
 * {@code jdbc:mariadb://...}). ghost migrates on one server, so URLs that name several hosts are refused with the way
 * out, rather than guessing which one is the master.
 */
final class JdbcUrl {

    private static final int DEFAULT_PORT = 3306;

    private final ServerAddress server;
    private final String database;
    private final String user;
    private final String password;

    private JdbcUrl(ServerAddress server, String database, String user, String password) {
        this.server = server;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    ServerAddress server() {
        return server;
    }

    /** The database in the URL's path, or null when it names none. */
    String database() {
        return database;
    }

    /** The {@code user} property of the URL's query, or null. */
    String user() {
        return user;
    }

    /** The {@code password} property of the URL's query, or null. */
    String password() {
        return password;
    }

    /**
     * Parses {@code url}; {@code source} says where it came from, for the error message.
     *
     * @throws IllegalArgumentException naming the URL, what is wrong and what to do
     */
    static JdbcUrl parse(String url, String source) {
        String lower = url.toLowerCase(Locale.ROOT);
        String rest;
        if (lower.startsWith("jdbc:mysql://")) {
            rest = url.substring("jdbc:mysql://".length());
        } else if (lower.startsWith("jdbc:mariadb://")) {
            rest = url.substring("jdbc:mariadb://".length());
        } else {
            throw new IllegalArgumentException(source + " `" + redacted(url) + "` is not a single-host MySQL or MariaDB "
                    + "JDBC URL (jdbc:mysql://host:port/database or jdbc:mariadb://host:port/database); ghost migrates on "
                    + "one server: name it with -D" + GhostLogin.URL_PROPERTY + " or " + GhostLogin.URL_VARIABLE);
        }
        int end = indexOfAny(rest, "/?;");
        String authority = end < 0 ? rest : rest.substring(0, end);
        String path = end < 0 || rest.charAt(end) != '/' ? "" : rest.substring(end + 1);
        int pathEnd = indexOfAny(path, "?;");
        String database = pathEnd < 0 ? path : path.substring(0, pathEnd);
        int at = authority.lastIndexOf('@');
        String hostPort = at < 0 ? authority : authority.substring(at + 1); // user:password@ before the host
        if (hostPort.isEmpty() || hostPort.contains(",") || hostPort.contains("(")) {
            throw new IllegalArgumentException(source + " `" + redacted(url) + "` names "
                    + (hostPort.isEmpty() ? "no host" : "several hosts or an address=(...) form")
                    + "; ghost migrates on one server: name it with -D" + GhostLogin.URL_PROPERTY + " or "
                    + GhostLogin.URL_VARIABLE + " (jdbc:mysql://host:port/database)");
        }
        String host;
        String port;
        if (hostPort.startsWith("[")) { // IPv6: [::1]:3306
            int close = hostPort.indexOf(']');
            host = hostPort.substring(1, close < 0 ? hostPort.length() : close);
            port = close < 0 || close + 1 >= hostPort.length() ? "" : hostPort.substring(close + 2);
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? "" : hostPort.substring(colon + 1);
        }
        int portNumber;
        try {
            portNumber = port.isEmpty() ? DEFAULT_PORT : Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + " `" + redacted(url) + "` has port `" + port
                    + "`, which is not a number", e);
        }
        String decoded = decode(database);
        String query = pathEnd < 0 ? "" : path.substring(pathEnd + 1);
        if (end >= 0 && rest.charAt(end) != '/') {
            query = rest.substring(end + 1);
        }
        return new JdbcUrl(ServerAddress.of(host, portNumber), decoded.isEmpty() ? null : decoded,
                queryProperty(query, "user"), queryProperty(query, "password"));
    }

    /** A property of the URL's query ({@code ?a=1&b=2}, or MariaDB's {@code ;a=1}), decoded, or null. */
    private static String queryProperty(String query, String name) {
        for (String pair : query.split("[&;]")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equalsIgnoreCase(name)) {
                return decode(pair.substring(equals + 1));
            }
        }
        return null;
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The URL without a password that its query or authority may carry, for messages and logs. */
    static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]*):[^/@]*@", "//$1:***@");
    }

    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
