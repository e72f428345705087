package dev.ghost;

import java.util.Objects;

/** Host and port of a MySQL or MariaDB server. */
public record ServerAddress(String host, int port) {

    public ServerAddress {
        Objects.requireNonNull(host, "host");
    }

    public static ServerAddress of(String host, int port) {
        return new ServerAddress(host, port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
