package io.scaleout.session.store;

import io.scaleout.common.cluster.ClusterMac;
import io.scaleout.common.config.ClusterTrust;
import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SESSION_STORE=grid on a real Hazelcast cluster of three members (a fourth joins and leaves):
 * what one member writes another reads, sessions outlive the member that wrote them leaving (its
 * partitions move to the others, as in a rolling restart), and an entry that a member without the
 * cluster key put there is no session.
 */
class GridSessionStoreTest extends SessionStoreContract {
  private static final Duration BOUND = Duration.ofSeconds(2);
  private static final String MAP = "sessions-under-test";
  private static TestCluster cluster;
  private static Vertx writerNode;
  private static Vertx readerNode;
  private static Vertx outsiderNode;
  private static ClusterMac key;
  private static SessionStore writer;
  private static SessionStore reader;

  @BeforeAll
  static void start() {
    cluster = new TestCluster();
    writerNode = cluster.startClient();
    readerNode = cluster.startClient();
    outsiderNode = cluster.startClient();
    key = new ClusterMac(randomKey());
    writer = new GridSessionStore(writerNode, MAP, BOUND, key);
    reader = new GridSessionStore(readerNode, MAP, BOUND, key);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static byte[] randomKey() {
    byte[] bytes = new byte[ClusterTrust.MIN_KEY_BYTES];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  @Override
  SessionStore writer() {
    return writer;
  }

  @Override
  SessionStore reader() {
    return reader;
  }

  @Test
  void anEntryPutThereWithoutTheClusterKeyIsNoSession() {
    String forged = newHash();
    String unsigned = newHash();
    SessionStore withoutTheKey = new GridSessionStore(outsiderNode, MAP, BOUND, new ClusterMac(randomKey()));
    Await.result(withoutTheKey.create(forged, session("admin-1"), Duration.ofMinutes(5)), WAIT);
    AsyncMap<String, String> raw = Await.result(outsiderNode.sharedData().<String, String>getClusterWideMap(MAP), WAIT);
    Await.result(raw.put(unsigned, "{\"userId\":\"admin-1\",\"roles\":[\"admin\"]}"), WAIT);

    assertThat(Await.result(reader.get(forged), WAIT)).isNull();
    assertThat(Await.result(reader.get(unsigned), WAIT)).isNull();
    // and the map is still readable for the sessions that are real
    String real = newHash();
    Await.result(writer.create(real, session("u-5"), Duration.ofMinutes(5)), WAIT);
    assertThat(Await.result(reader.get(real), WAIT)).isEqualTo(session("u-5"));
  }

  @Test
  void sessionsOutliveTheMemberThatWroteThemLeaving() {
    Vertx member = cluster.startClient();
    SessionStore onTheLeavingMember = new GridSessionStore(member, MAP, BOUND, key);
    String[] hashes = new String[50];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = newHash();
      Await.result(onTheLeavingMember.create(hashes[i], session("u-" + i), Duration.ofMinutes(5)), WAIT);
    }

    Await.result(member.close(), Duration.ofSeconds(30));

    for (int i = 0; i < hashes.length; i++) {
      assertThat(Await.result(reader.get(hashes[i]), WAIT)).as("session %d", i).isEqualTo(session("u-" + i));
    }
  }
}
