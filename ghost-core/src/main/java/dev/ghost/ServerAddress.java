package dev.ghost;

import java.util.Objects;

/** Host and port of a MySQL or MariaDB server. */
public record ServerAddress(String host, int port) {

    /**
     * Checks that the host is given; the port is checked by {@link OnlineSchemaChange.Builder#build()}.
     *
     * @param host the host name or IP address
     * @param port the TCP port
     */
    public ServerAddress {
        Objects.requireNonNull(host, "host");
    }

    /**
     * The address of a server.
     *
     * @param host the host name or IP address
     * @param port the TCP port, usually 3306
     * @return the address
     */
    public static ServerAddress of(String host, int port) {
        return new ServerAddress(host, port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
