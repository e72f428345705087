package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.event.EventData;
import dev.ghost.spi.RowsEvent;

import java.io.Serializable;
import java.util.List;

// The row images of one rows event of a watched table, each cell decoded exactly but not yet converted.
record DecodedRows(long tableId, RowsEvent.Kind kind, List<Serializable[]> before, List<Serializable[]> after)
        implements EventData {
}
