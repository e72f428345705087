package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.event.EventData;

// Stands for a rows event of a table nobody watches, whose rows were never decoded.
enum SkippedRows implements EventData {
    INSTANCE
}
