package dev.ghost.liquibase;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host and port of a MySQL or MariaDB JDBC URL, for ghost's own connections. Only a single-host URL gives one:
 * with a failover or load-balancing list, which host is the primary is the user's knowledge, not ours.
 */
record ServerFromUrl(String host, int port) {

    static final int DEFAULT_PORT = 3306;

    private static final Pattern AUTHORITY =
            Pattern.compile("(?i)^jdbc:(?:mysql|mariadb)(?::[a-z]+)*://([^/?#]*)");
    private static final Pattern ADDRESS_HOST = Pattern.compile("(?i)\\(host=([^)]+)\\)");
    private static final Pattern ADDRESS_PORT = Pattern.compile("(?i)\\(port=(\\d+)\\)");

    static Optional<ServerFromUrl> parse(String url) {
        if (url == null) {
            return Optional.empty();
        }
        Matcher authority = AUTHORITY.matcher(url.trim());
        if (!authority.find()) {
            return Optional.empty();
        }
        String withUser = authority.group(1);
        String hosts = withUser.substring(withUser.lastIndexOf('@') + 1); // user:password@host
        if (hosts.isEmpty()) {
            return Optional.of(new ServerFromUrl("localhost", DEFAULT_PORT));
        }
        if (hosts.startsWith("address=") || hosts.startsWith("(")) {
            Matcher host = ADDRESS_HOST.matcher(hosts);
            Matcher port = ADDRESS_PORT.matcher(hosts);
            if (!host.find() || host.find()) {
                return Optional.empty();
            }
            host.reset().find();
            return Optional.of(new ServerFromUrl(host.group(1),
                    port.find() ? Integer.parseInt(port.group(1)) : DEFAULT_PORT));
        }
        if (hosts.contains(",")) {
            return Optional.empty();
        }
        if (hosts.startsWith("[")) { // [IPv6]:port
            int close = hosts.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            String rest = hosts.substring(close + 1);
            return portOf(rest.startsWith(":") ? rest.substring(1) : "")
                    .map(port -> new ServerFromUrl(hosts.substring(1, close), port));
        }
        int colon = hosts.lastIndexOf(':');
        if (colon < 0) {
            return Optional.of(new ServerFromUrl(hosts, DEFAULT_PORT));
        }
        String host = hosts.substring(0, colon);
        return portOf(hosts.substring(colon + 1)).map(port -> new ServerFromUrl(host, port));
    }

    private static Optional<Integer> portOf(String text) {
        if (text.isEmpty()) {
            return Optional.of(DEFAULT_PORT);
        }
        try {
            return Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
