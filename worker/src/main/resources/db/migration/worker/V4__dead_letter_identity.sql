-- A dead letter is one record of the dead-letter topic: the same offset seen again (the consumer
-- is at least once) is the same dead letter, but an offset of a topic made anew (a new Kafka
-- cluster, a deleted topic) is another record, with another failure time. Keyed by the offset
-- alone, such a dead letter was dropped without a word.
ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_topic_kafka_partition_kafka_offset_key;
ALTER TABLE dead_letters ADD CONSTRAINT dead_letters_record UNIQUE (topic, kafka_partition, kafka_offset, failed_at);
