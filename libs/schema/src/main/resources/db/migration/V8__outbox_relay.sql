-- The outbox relay (issue #6, docs/adr/0017-outbox-relay.md).
--
-- Every row falls in one of 16 slots by its Kafka key. A relay holds a slot through a
-- session-level advisory lock and publishes that slot's rows in id order, so the events of one
-- key (one repository) leave in the order they were committed, however many relays run. A relay
-- that dies drops its locks with its connection, and another takes its slots over.
ALTER TABLE outbox ADD COLUMN slot smallint GENERATED ALWAYS AS (hashtext(event_key) & 15) STORED;
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (slot, id) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Relays LISTEN on berth_outbox and wake when rows commit, instead of polling.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('berth_outbox', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
