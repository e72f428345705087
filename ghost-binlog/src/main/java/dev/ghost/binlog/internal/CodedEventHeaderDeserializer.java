package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

import java.io.IOException;

// Reads the 19-byte v4 event header like the client does, keeping the raw type code of unknown events.
final class CodedEventHeaderDeserializer implements EventHeaderDeserializer<CodedEventHeader> {

    @Override
    public CodedEventHeader deserialize(ByteArrayInputStream in) throws IOException {
        long timestampSeconds = in.readLong(4);
        int typeCode = in.readInteger(1);
        CodedEventHeader header = new CodedEventHeader(typeCode);
        header.setTimestamp(timestampSeconds * 1000L);
        EventType type = EventType.byEventNumber(typeCode);
        header.setEventType(type == null ? EventType.UNKNOWN : type);
        header.setServerId(in.readLong(4));
        header.setEventLength(in.readLong(4));
        header.setNextPosition(in.readLong(4));
        header.setFlags(in.readInteger(2));
        return header;
    }
}
