package dev.ghost.binlog.internal;

// Says that a watched table's binlog layout no longer matches the schema the source was started with.
final class TableChangedException extends IllegalStateException {

    TableChangedException(String message) {
        super(message);
    }
}
