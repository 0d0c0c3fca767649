package io.scaleout.common.kafka;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Creates the topics a service needs when they are missing (another instance may race: fine). */
public final class KafkaTopics {
  private KafkaTopics() {
  }

  public static Future<Void> ensure(Vertx vertx, KafkaConfig config, List<String> topics) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, config.adminProperties());
    return admin.listTopics()
        .compose(existing -> create(admin, config, topics, existing))
        .timeout(config.timeout().toMillis() * 2, TimeUnit.MILLISECONDS)
        .eventually(admin::close);
  }

  private static Future<Void> create(KafkaAdminClient admin, KafkaConfig config, List<String> topics, Set<String> existing) {
    List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
        .map(t -> new NewTopic(t, config.partitions(), (short) 1)).toList();
    if (missing.isEmpty()) {
      return Future.succeededFuture();
    }
    return admin.createTopics(missing).recover(failure ->
        failure instanceof TopicExistsException || failure.getCause() instanceof TopicExistsException
            ? Future.succeededFuture() : Future.failedFuture(failure));
  }
}
