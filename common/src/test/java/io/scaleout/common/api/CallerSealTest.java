package io.scaleout.common.api;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.InstanceAddresses;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.cluster.ClusterMac;
import io.scaleout.common.session.SessionAddresses;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallerSealTest {
  private static final String ADDRESS = "catalog.products.create";
  private static final Caller ADMIN = new Caller("user-7", Set.of("user", "admin"), "ab".repeat(32));

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final CallerSeal seal = new CallerSeal(new ClusterMac(key(1)), Duration.ofSeconds(30), now::get);

  private static byte[] key(int fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return key;
  }

  private MultiMap signed(Caller caller, String address) {
    return seal.sign(caller, address, new DeliveryOptions()).getHeaders();
  }

  private static void assertRefused(Runnable open) {
    assertThatThrownBy(open::run).isInstanceOfSatisfying(ServiceException.class,
        e -> assertThat(e.code()).isEqualTo(FailureCode.UNAUTHORIZED));
  }

  @Test
  void aSignedCallerOpensAtItsAddressAndAtAnInstanceAddressOfIt() {
    MultiMap headers = signed(ADMIN, ADDRESS);

    assertThat(seal.open(ADDRESS, headers)).isEqualTo(ADMIN);
    assertThat(seal.open(InstanceAddresses.of(ADDRESS, "catalog-2"), headers)).isEqualTo(ADMIN);
    assertThat(seal.open(ADDRESS, signed(ADMIN, InstanceAddresses.of(ADDRESS, "catalog-1")))).isEqualTo(ADMIN);
  }

  @Test
  void headersWithoutAUserAreAnonymousAndAnAnonymousCallerAddsNone() {
    assertThat(signed(Caller.ANONYMOUS, ADDRESS)).isNull();
    assertThat(seal.open(ADDRESS, MultiMap.caseInsensitiveMultiMap().add(CallerSeal.ROLES, "admin")))
        .isEqualTo(Caller.ANONYMOUS);
  }

  @Test
  void unsignedHeadersAreRefused() {
    assertRefused(() -> seal.open(ADDRESS, MultiMap.caseInsensitiveMultiMap()
        .add(CallerSeal.USER_ID, "user-7").add(CallerSeal.ROLES, "admin")));
  }

  @Test
  void aChangedRoleUserOrSessionIsRefused() {
    assertRefused(() -> seal.open(ADDRESS, signed(new Caller("user-7", Set.of("user"), ADMIN.sessionHash()), ADDRESS)
        .set(CallerSeal.ROLES, "admin,user")));
    assertRefused(() -> seal.open(ADDRESS, signed(ADMIN, ADDRESS).set(CallerSeal.USER_ID, "user-8")));
    assertRefused(() -> seal.open(ADDRESS, signed(ADMIN, ADDRESS).set(SessionAddresses.TOKEN_HASH, "cd".repeat(32))));
    assertRefused(() -> seal.open(ADDRESS, signed(ADMIN, ADDRESS).set(CallerSeal.EXPIRES, Long.toString(now.get() + 999_999))));
  }

  @Test
  void aSignatureForAnotherAddressIsRefused() {
    assertRefused(() -> seal.open("worker.dlq.replay", signed(ADMIN, ADDRESS)));
  }

  @Test
  void aSignatureIsRefusedOnceItsTimeHasPassed() {
    MultiMap headers = signed(ADMIN, ADDRESS);
    now.addAndGet(30_000);
    assertThat(seal.open(ADDRESS, headers)).isEqualTo(ADMIN);
    now.addAndGet(1);
    assertRefused(() -> seal.open(ADDRESS, headers));
  }

  @Test
  void aSignatureMadeWithAnotherKeyIsRefused() {
    CallerSeal other = new CallerSeal(new ClusterMac(key(2)), Duration.ofSeconds(30), now::get);
    assertRefused(() -> seal.open(ADDRESS, other.sign(ADMIN, ADDRESS, new DeliveryOptions()).getHeaders()));
  }

  @Test
  void theIdentityKeyRotatesInRollingRestarts() {
    CallerSeal before = seal;
    // first roll: still signing with the old key, accepting the new one; second: the other way round
    CallerSeal first = new CallerSeal(new ClusterMac(key(1), key(2)), Duration.ofSeconds(30), now::get);
    CallerSeal second = new CallerSeal(new ClusterMac(key(2), key(1)), Duration.ofSeconds(30), now::get);
    CallerSeal after = new CallerSeal(new ClusterMac(key(2)), Duration.ofSeconds(30), now::get);

    assertThat(first.open(ADDRESS, before.sign(ADMIN, ADDRESS, new DeliveryOptions()).getHeaders())).isEqualTo(ADMIN);
    assertThat(before.open(ADDRESS, first.sign(ADMIN, ADDRESS, new DeliveryOptions()).getHeaders())).isEqualTo(ADMIN);
    assertThat(first.open(ADDRESS, second.sign(ADMIN, ADDRESS, new DeliveryOptions()).getHeaders())).isEqualTo(ADMIN);
    assertThat(second.open(ADDRESS, first.sign(ADMIN, ADDRESS, new DeliveryOptions()).getHeaders())).isEqualTo(ADMIN);
    assertThat(after.open(ADDRESS, second.sign(ADMIN, ADDRESS, new DeliveryOptions()).getHeaders())).isEqualTo(ADMIN);
    assertThat(second.open(ADDRESS, after.sign(ADMIN, ADDRESS, new DeliveryOptions()).getHeaders())).isEqualTo(ADMIN);
    assertRefused(() -> after.open(ADDRESS, before.sign(ADMIN, ADDRESS, new DeliveryOptions()).getHeaders()));
  }

  @Test
  void aCallerNamedTwiceIsRefused() {
    assertRefused(() -> seal.open(ADDRESS, signed(new Caller("user-7", Set.of("user")), ADDRESS).add(CallerSeal.ROLES, "admin")));
  }

  @Test
  void aUserRouteRefusesTheAnonymousAndAnAdminRouteOtherUsersToo() {
    Caller user = seal.open(ADDRESS, signed(new Caller("user-1", Set.of("user")), ADDRESS));

    assertThatThrownBy(() -> Caller.ANONYMOUS.signedIn("use a cart")).hasMessage("Sign in to use a cart");
    assertThat(user.signedIn("use a cart")).isEqualTo(user);
    assertThatThrownBy(() -> Caller.ANONYMOUS.administrator("change the catalog"))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(FailureCode.UNAUTHORIZED));
    assertThatThrownBy(() -> user.administrator("change the catalog")).hasMessage("Only administrators may change the catalog")
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(FailureCode.FORBIDDEN));
    assertThat(seal.open(ADDRESS, signed(ADMIN, ADDRESS)).administrator("change the catalog")).isEqualTo(ADMIN);
  }

  @Test
  void aKeyShorterThan32BytesIsNoKey() {
    assertThatThrownBy(() -> new ClusterMac(new byte[31])).isInstanceOf(IllegalArgumentException.class);
  }
}
