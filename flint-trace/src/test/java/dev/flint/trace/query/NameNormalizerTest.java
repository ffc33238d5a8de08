package dev.flint.trace.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each rule of {@link NameNormalizer}, on the names it rewrites and on names it must leave alone. */
class NameNormalizerTest {

    @ParameterizedTest
    @MethodSource("offsets")
    void stripOffset(String name, String expected) {
        assertThat(NameNormalizer.stripOffset(name)).isEqualTo(expected);
    }

    static Stream<Arguments> offsets() {
        return Stream.of(
                rule("offset", "memcpy+0x1c", "memcpy"),
                rule("upper-case hex", "leaf+0x1C0", "leaf"),
                rule("JIT stub with offset", "StubRoutines (1)+0xc9", "StubRoutines (1)"),
                rule("C++ operator+", "std::string::operator+", "std::string::operator+"),
                rule("C++ operator++", "Iter::operator++", "Iter::operator++"),
                rule("offset in the middle", "a+0x1c.b", "a+0x1c.b"),
                rule("no digits", "weird+0x", "weird+0x"),
                rule("only an offset", "+0x10", "+0x10"),
                rule("plain", "main", "main"));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void stripSymbolVersion(String name, String expected) {
        assertThat(NameNormalizer.stripSymbolVersion(name)).isEqualTo(expected);
    }

    static Stream<Arguments> versions() {
        return Stream.of(
                rule("default version", "memcpy@@GLIBC_2.14", "memcpy"),
                rule("non-default version", "pthread_create@GLIBC_2.2.5", "pthread_create"),
                rule("private", "__libc_start_main@GLIBC_PRIVATE", "__libc_start_main"),
                rule("C++ ABI", "__cxa_throw@@CXXABI_1.3", "__cxa_throw"),
                rule("OpenSSL", "SSL_read@@OPENSSL_3.0.0", "SSL_read"),
                rule("PLT stub stays", "malloc@plt", "malloc@plt"),
                rule("no underscore: not a version", "foo@BAR", "foo@BAR"),
                rule("an e-mail-like name", "user@Example.com", "user@Example.com"),
                rule("only a version", "@@GLIBC_2.2.5", "@@GLIBC_2.2.5"),
                rule("plain", "main", "main"));
    }

    @ParameterizedTest
    @MethodSource("paths")
    void dsoBasename(String name, String expected) {
        assertThat(NameNormalizer.dsoBasename(name)).isEqualTo(expected);
    }

    static Stream<Arguments> paths() {
        return Stream.of(
                rule("a module as a name", "/usr/lib/x86_64-linux-gnu/libc.so.6", "libc.so.6"),
                rule("in brackets", "[/opt/app/bin/handler]", "[handler]"),
                rule("in a Python frame", "handle (/srv/app/main.py:12)", "handle (main.py:12)"),
                rule("JIT map of a pid", "[perf-12345.map]", "[perf-PID.map]"),
                rule("JIT map path", "/tmp/perf-4242.map", "perf-PID.map"),
                rule("kernel thread name stays", "kworker/0:1", "kworker/0:1"),
                rule("JVM internal name stays", "java/lang/String.hashCode", "java/lang/String.hashCode"),
                rule("a lone slash stays", "a / b", "a / b"),
                rule("a directory stays", "/usr/lib/", "/usr/lib/"),
                rule("plain", "main", "main"));
    }

    @ParameterizedTest
    @MethodSource("jvm")
    void jvmGeneratedClasses(String name, String expected) {
        assertThat(NameNormalizer.jvmGeneratedClasses(name)).isEqualTo(expected);
    }

    static Stream<Arguments> jvm() {
        return Stream.of(
                rule("JDK 17 lambda", "Main$$Lambda$123/0x0000000800c0b440.run", "Main$$Lambda.run"),
                rule("JDK 21 lambda", "Main$$Lambda/0x000001f0010a3a48.run", "Main$$Lambda.run"),
                rule("async-profiler lambda", "Main$$Lambda+0x0000000800c0b440.run", "Main$$Lambda.run"),
                rule("dotted hidden class", "Main$$Lambda.0x0000000800c0b440.run", "Main$$Lambda.run"),
                rule("JDK 8 lambda", "Main$$Lambda$1/1831932724.run", "Main$$Lambda.run"),
                rule("two lambdas", "A$$Lambda$1/0x01.run;B$$Lambda$2/0x02.get", "A$$Lambda.run;B$$Lambda.get"),
                rule("lambda form", "java.lang.invoke.LambdaForm$MH/0x0000000800c04c00.invoke",
                        "java.lang.invoke.LambdaForm$MH.invoke"),
                rule("JDK 8 lambda form", "java.lang.invoke.LambdaForm$DMH/1234567.invokeStatic",
                        "java.lang.invoke.LambdaForm$DMH.invokeStatic"),
                rule("proxy", "jdk.proxy2.$Proxy12.invoke", "jdk.proxy.$Proxy.invoke"),
                rule("old proxy", "com.sun.proxy.$Proxy7.handle", "com.sun.proxy.$Proxy.handle"),
                rule("reflection accessor", "jdk.internal.reflect.GeneratedMethodAccessor42.invoke",
                        "jdk.internal.reflect.GeneratedMethodAccessor.invoke"),
                rule("constructor accessor", "GeneratedConstructorAccessor3.newInstance",
                        "GeneratedConstructorAccessor.newInstance"),
                rule("inner class stays", "Outer$Inner$1.run", "Outer$Inner$1.run"),
                rule("lambda method stays", "Main.lambda$main$0", "Main.lambda$main$0"),
                rule("plain", "java.lang.Thread.run", "java.lang.Thread.run"));
    }

    @ParameterizedTest
    @MethodSource("stubs")
    void numberedStubs(String name, String expected) {
        assertThat(NameNormalizer.numberedStubs(name)).isEqualTo(expected);
    }

    static Stream<Arguments> stubs() {
        return Stream.of(
                rule("first stub blob", "StubRoutines (1)", "StubRoutines"),
                rule("later stub blob", "StubRoutines (12)", "StubRoutines"),
                rule("not a number", "handle (main.py:12)", "handle (main.py:12)"),
                rule("no space", "f(1)", "f(1)"),
                rule("empty parentheses", "f ()", "f ()"),
                rule("plain", "Interpreter", "Interpreter"));
    }

    @ParameterizedTest
    @MethodSource("hex")
    void hexAddresses(String name, String expected) {
        assertThat(NameNormalizer.hexAddresses(name)).isEqualTo(expected);
    }

    static Stream<Arguments> hex() {
        return Stream.of(
                rule("an address", "0x7f3a2c001234", "0x..."),
                rule("inside a name", "[unknown 0x7f3a2c001234]", "[unknown 0x...]"),
                rule("two", "BufferBlob (0x00007f00) at 0xdeadBEEF", "BufferBlob (0x...) at 0x..."),
                rule("already normalised", "0x...", "0x..."),
                rule("part of an identifier stays", "abc0x12", "abc0x12"),
                rule("no digits", "0x", "0x"),
                rule("plain", "main", "main"));
    }

    @ParameterizedTest
    @MethodSource("crossMachine")
    void crossMachineAppliesEveryRule(String name, String expected) {
        assertThat(NameNormalizer.CROSS_MACHINE.normalize(name)).isEqualTo(expected);
    }

    static Stream<Arguments> crossMachine() {
        return Stream.of(
                rule("version and offset", "memcpy@@GLIBC_2.2.5+0x1c", "memcpy"),
                rule("stub with offset", "StubRoutines (2)+0xc9", "StubRoutines"),
                rule("unsymbolised module", "[/usr/lib/libfoo.so.1]", "[libfoo.so.1]"),
                rule("lambda", "Main$$Lambda$14/0x0000000800c0b440.run", "Main$$Lambda.run"),
                rule("address", "[unknown] 0x7ffc01", "[unknown] 0x..."),
                rule("plain", "Foo.bar", "Foo.bar"));
    }

    @Test
    void noneLeavesNamesAloneAndRulesCompose() {
        assertThat(NameNormalizer.NONE.normalize("memcpy+0x1c")).isEqualTo("memcpy+0x1c");
        NameNormalizer upper = name -> name.toUpperCase(java.util.Locale.ROOT);
        assertThat(((NameNormalizer) NameNormalizer::stripOffset).andThen(upper).normalize("a+0x1")).isEqualTo("A");
    }

    @Test
    void aNameWithNothingToRewriteIsReturnedAsItIs() {
        String name = "io.netty.channel.nio.NioEventLoop.run";
        UnaryOperator<String> all = NameNormalizer::crossMachine;
        assertThat(all.apply(name)).isSameAs(name);
    }

    private static Arguments rule(String what, String name, String expected) {
        return argumentSet(what + ": " + name, name, expected);
    }
}
