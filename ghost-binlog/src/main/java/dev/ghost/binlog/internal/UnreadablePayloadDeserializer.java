package dev.ghost.binlog.internal;

import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

import java.util.ArrayList;

// Keeps the client from decoding MySQL's compressed transactions (TRANSACTION_PAYLOAD) with its own lossy decoder.
final class UnreadablePayloadDeserializer implements EventDataDeserializer<TransactionPayloadEventData> {

    /**
     * The client's own deserializer decodes the inner rows with a default, lossy deserializer of its own. Nothing
     * is decompressed here: the dispatcher stops the stream when it sees such an event.
     */
    @Override
    public TransactionPayloadEventData deserialize(ByteArrayInputStream in) {
        TransactionPayloadEventData data = new TransactionPayloadEventData();
        data.setUncompressedEvents(new ArrayList<>()); // the event deserializer walks this list for TABLE_MAPs
        return data;
    }
}
