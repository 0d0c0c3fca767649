package io.scaleout.session;

import io.scaleout.common.config.ConfigException;
import io.scaleout.common.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ADMIN_PASSWORD as the session service reads it at start: no placeholder, no well-known or short one. */
class SessionConfigTest {

  private static SessionConfig admin(String email, String password) {
    return SessionConfig.from(Settings.load("session", Map.of("ADMIN_EMAIL", email, "ADMIN_PASSWORD", password)));
  }

  @Test
  void placeholdersOfTheDeploymentFilesAndWellKnownPasswordsAreRefused() {
    for (String password : new String[] {"change-me-too", "CHANGE_ME_TOO", "Change Me Too", "change-me", "changeme", "choose one",
        "admin", "password", "Passw0rd", "administrator", "123456789012", "please-change-me", "your-password-here",
        "replace-me-with-a-real-one", "admin-password"}) {
      assertThatThrownBy(() -> admin("admin@example.org", password)).as(password)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("ADMIN_PASSWORD")
          .hasMessageContaining("placeholder or well-known")
          .hasMessageNotContaining("'" + password + "'");
    }
  }

  @Test
  void aShortPasswordIsRefused() {
    assertThatThrownBy(() -> admin("admin@example.org", "xK9#mQ2$vL7")).as("11 characters")
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ADMIN_PASSWORD is shorter than 12 characters")
        .hasMessageNotContaining("xK9#mQ2$vL7");
    assertThatThrownBy(() -> admin("", "xK9#mQ2$vL7")).as("checked even when no administrator is made")
        .hasMessageContaining("ADMIN_PASSWORD");
  }

  @Test
  void aPasswordOfTheDeployersOwnIsTaken() {
    assertThat(admin("admin@example.org", "xK9#mQ2$vL7!").adminPassword()).as("12 characters").isEqualTo("xK9#mQ2$vL7!");
    assertThat(admin("admin@example.org", "admin-password-1").adminPassword()).as("the system tests' one").isEqualTo("admin-password-1");
    assertThat(admin("admin@example.org", "correct horse battery staple").adminEmail()).isEqualTo("admin@example.org");
    assertThat(admin("admin@example.org", "ĉiuj-ŝanĝoj-kaj-ĥoroj").adminPassword()).isNotEmpty();
    assertThat(admin("", "").adminEmail()).as("no administrator").isEmpty();
  }

  @Test
  void anAdministratorWithoutAPasswordIsRefused() {
    assertThatThrownBy(() -> admin("admin@example.org", ""))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ADMIN_PASSWORD is empty");
  }
}
