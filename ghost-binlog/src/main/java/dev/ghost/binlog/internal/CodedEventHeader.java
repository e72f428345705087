package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.event.EventHeaderV4;

// An event header that keeps the raw type code, which the client's EventType drops for events it does not know.
final class CodedEventHeader extends EventHeaderV4 {

    private static final long serialVersionUID = 1L;

    private final int typeCode;

    CodedEventHeader(int typeCode) {
        this.typeCode = typeCode;
    }

    int typeCode() {
        return typeCode;
    }
}
