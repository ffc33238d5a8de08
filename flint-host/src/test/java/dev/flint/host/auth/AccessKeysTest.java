package dev.flint.host.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.host.app.AuthLevel;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessKeysTest {

    private static final String MASTER = "master-0123456789abcdef";
    private static final String SYSTEM = "system-0123456789abcdef";
    private static final String HOST = "host-0123456789abcdef";
    private static final String CIRCLE = "circle-0123456789abcdef";
    private static final String SQUARE = "square-0123456789abcdef";

    private final AccessKeys keys = AccessKeys.of(List.of(
            new AccessKey(KeyScope.FUNCTION, "square", "default", SQUARE),
            new AccessKey(KeyScope.FUNCTION, "circle", "default", CIRCLE),
            new AccessKey(KeyScope.FUNCTION, "circle", "Alpha", "circle-alpha-0123456789"),
            new AccessKey(KeyScope.HOST, null, "default", HOST),
            new AccessKey(KeyScope.SYSTEM, null, "durable", SYSTEM),
            new AccessKey(KeyScope.MASTER, null, AccessKey.MASTER_NAME, MASTER)));

    @Test
    void masterGivesAdminForEveryFunctionAndTheHost() {
        assertThat(keys.grant(MASTER, "circle")).isEqualTo(new Grant(AuthLevel.ADMIN, "_master"));
        assertThat(keys.grant(MASTER, null)).isEqualTo(new Grant(AuthLevel.ADMIN, "_master"));
    }

    @Test
    void systemKeyGivesSystem() {
        assertThat(keys.grant(SYSTEM, "circle")).isEqualTo(new Grant(AuthLevel.SYSTEM, "durable"));
        assertThat(keys.grant(SYSTEM, null)).isEqualTo(new Grant(AuthLevel.SYSTEM, "durable"));
    }

    @Test
    void hostKeyGivesFunctionForEveryFunction() {
        assertThat(keys.grant(HOST, "circle")).isEqualTo(new Grant(AuthLevel.FUNCTION, "default"));
        assertThat(keys.grant(HOST, "square")).isEqualTo(new Grant(AuthLevel.FUNCTION, "default"));
        assertThat(keys.grant(HOST, null)).isEqualTo(new Grant(AuthLevel.FUNCTION, "default"));
    }

    @Test
    void functionKeyGivesFunctionForItsFunctionOnlyWhateverTheCase() {
        assertThat(keys.grant(CIRCLE, "circle")).isEqualTo(new Grant(AuthLevel.FUNCTION, "default"));
        assertThat(keys.grant(CIRCLE, "CIRCLE")).isEqualTo(new Grant(AuthLevel.FUNCTION, "default"));
        assertThat(keys.grant("circle-alpha-0123456789", "Circle")).isEqualTo(new Grant(AuthLevel.FUNCTION, "Alpha"));
        assertThat(keys.grant(CIRCLE, "square")).as("another function's key").isEqualTo(Grant.anonymous());
        assertThat(keys.grant(CIRCLE, null)).as("a function key at a host endpoint").isEqualTo(Grant.anonymous());
    }

    @Test
    void anythingElseIsAnonymous() {
        assertThat(keys.grant(null, "circle")).isEqualTo(Grant.anonymous());
        assertThat(keys.grant("", "circle")).isEqualTo(Grant.anonymous());
        assertThat(keys.grant("wrong-0123456789abcdef", "circle")).isEqualTo(Grant.anonymous());
        assertThat(keys.grant(MASTER.substring(0, MASTER.length() - 1), "circle")).as("a prefix").isEqualTo(Grant.anonymous());
        assertThat(keys.grant(MASTER + "x", "circle")).as("an extension").isEqualTo(Grant.anonymous());
        assertThat(AccessKeys.of(List.of()).grant(MASTER, "circle")).isEqualTo(Grant.anonymous());
        assertThat(Grant.anonymous().keyName()).isNull();
    }

    @Test
    void theHighestGrantWinsWhenTwoKeysShareAValue() {
        AccessKeys shared = AccessKeys.of(List.of(
                new AccessKey(KeyScope.FUNCTION, "circle", "default", MASTER),
                new AccessKey(KeyScope.HOST, null, "default", MASTER),
                new AccessKey(KeyScope.MASTER, null, AccessKey.MASTER_NAME, MASTER)));

        assertThat(shared.grant(MASTER, "circle").level()).isEqualTo(AuthLevel.ADMIN);
    }

    @Test
    void grantAllowsItsLevelAndBelow() {
        Grant function = new Grant(AuthLevel.FUNCTION, "default");

        assertThat(function.allows(AuthLevel.ANONYMOUS)).isTrue();
        assertThat(function.allows(AuthLevel.FUNCTION)).isTrue();
        assertThat(function.allows(AuthLevel.ADMIN)).isFalse();
        assertThat(Grant.anonymous().allows(AuthLevel.ANONYMOUS)).isTrue();
        assertThat(Grant.anonymous().allows(AuthLevel.FUNCTION)).isFalse();
    }

    @Test
    void listsKeysByScopeAndFunctionSortedByName() {
        assertThat(keys.master()).map(AccessKey::value).contains(MASTER);
        assertThat(keys.keys(KeyScope.FUNCTION, "CIRCLE")).extracting(AccessKey::name).containsExactly("Alpha", "default");
        assertThat(keys.keys(KeyScope.HOST, "ignored")).extracting(AccessKey::name).containsExactly("default");
        assertThat(keys.keys(KeyScope.FUNCTION, "none")).isEmpty();
        assertThat(keys.all()).extracting(AccessKey::scope).containsExactly(
                KeyScope.MASTER, KeyScope.SYSTEM, KeyScope.HOST, KeyScope.FUNCTION, KeyScope.FUNCTION, KeyScope.FUNCTION);
        assertThat(AccessKeys.of(List.of()).master()).isEmpty();
    }

    @Test
    void refusesTwoKeysWithOneName() {
        assertThatThrownBy(() -> AccessKeys.of(List.of(
                new AccessKey(KeyScope.HOST, null, "default", HOST),
                new AccessKey(KeyScope.HOST, null, "Default", SYSTEM))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host key \"Default\"")
                .hasMessageNotContaining(HOST).hasMessageNotContaining(SYSTEM);
    }

    @Test
    void keyToStringHidesTheValue() {
        AccessKey key = new AccessKey(KeyScope.FUNCTION, "circle", "default", CIRCLE);

        assertThat(key.toString()).contains("circle", "default").doesNotContain(CIRCLE);
        assertThat(keys.toString()).doesNotContain(MASTER, CIRCLE, HOST);
    }

    @Test
    void keyHasAFunctionExactlyInFunctionScopeAndTheMasterIsNamedMaster() {
        assertThatThrownBy(() -> new AccessKey(KeyScope.FUNCTION, null, "default", CIRCLE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccessKey(KeyScope.HOST, "circle", "default", HOST))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccessKey(KeyScope.MASTER, null, "root", MASTER))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
