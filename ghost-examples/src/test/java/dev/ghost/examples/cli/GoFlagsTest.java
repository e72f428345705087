package dev.ghost.examples.cli;

import dev.ghost.examples.cli.GoFlags.Flag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoFlagsTest {

    private final GoFlags flags = new GoFlags(List.of(
            Flag.string("alter", "", "the alter"),
            Flag.string("host", "127.0.0.1", "host"),
            Flag.integer("chunk-size", 1000, "rows"),
            Flag.unsigned("server-id", 99999, "id"),
            Flag.decimal("ratio", 0, "ratio"),
            Flag.bool("execute", false, "run"),
            Flag.bool("verbose", false, "talk"),
            Flag.bool("concurrent", true, "count"),
            Flag.list("tag", "tags")));

    private ParsedFlags parse(String... args) throws FlagParseException {
        return flags.parse(List.of(args));
    }

    private void assertFails(String expectedMessage, String... args) {
        assertThatThrownBy(() -> parse(args)).isInstanceOf(FlagParseException.class).hasMessage(expectedMessage);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-alter=add column c int|",
            "--alter=add column c int|",
            "-alter|add column c int",
            "--alter|add column c int"})
    void readsAValueInEveryFormGoAccepts(String first, String second) throws Exception {
        ParsedFlags parsed = second == null ? parse(first) : parse(first, second);

        assertThat(parsed.string("alter")).isEqualTo("add column c int");
        assertThat(parsed.isSet("alter")).isTrue();
    }

    @Test
    void keepsEverythingAfterTheFirstEqualsSign() throws Exception {
        assertThat(parse("--alter=engine=innodb, comment='a=b'").string("alter"))
                .isEqualTo("engine=innodb, comment='a=b'");
    }

    @Test
    void takesAnEmptyValueAfterTheEqualsSign() throws Exception {
        assertThat(parse("--host=").string("host")).isEmpty();
    }

    @Test
    void takesTheNextArgumentAsTheValueEvenWhenItLooksLikeAFlag() throws Exception {
        ParsedFlags parsed = parse("--alter", "--execute");

        assertThat(parsed.string("alter")).isEqualTo("--execute");
        assertThat(parsed.bool("execute")).isFalse();
    }

    @Test
    void setsABooleanGivenAlone() throws Exception {
        ParsedFlags parsed = parse("--execute", "-verbose");

        assertThat(parsed.bool("execute")).isTrue();
        assertThat(parsed.bool("verbose")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "t", "T", "true", "TRUE", "True"})
    void readsEveryTrueSpellingOfGo(String spelling) throws Exception {
        assertThat(parse("--execute=" + spelling).bool("execute")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "f", "F", "false", "FALSE", "False"})
    void readsEveryFalseSpellingOfGo(String spelling) throws Exception {
        assertThat(parse("--concurrent=" + spelling).bool("concurrent")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "on", "tRUE", "", "2"})
    void refusesOtherBooleanSpellings(String spelling) {
        assertFails("invalid boolean value \"" + spelling + "\" for -execute: parse error", "--execute=" + spelling);
    }

    @Test
    void neverTakesTheNextArgumentAsABooleansValue() {
        // "false" is not consumed: it is the first non-flag argument, and ghost refuses leftovers
        assertThatThrownBy(() -> parse("--execute", "false"))
                .isInstanceOf(FlagParseException.class)
                .hasMessageStartingWith("unexpected argument \"false\"");
    }

    @Test
    void keepsTheLastOfARepeatedFlag() throws Exception {
        ParsedFlags parsed = parse("--alter=engine=innodb", "--chunk-size=10", "--alter", "add column c int",
                "-chunk-size", "20", "--execute", "--execute=false");

        assertThat(parsed.string("alter")).isEqualTo("add column c int");
        assertThat(parsed.integer("chunk-size")).isEqualTo(20);
        assertThat(parsed.bool("execute")).isFalse();
    }

    @Test
    void collectsEveryValueOfARepeatableFlag() throws Exception {
        assertThat(parse("--tag", "a:1", "--tag=b:2").list("tag")).containsExactly("a:1", "b:2");
    }

    @Test
    void givesDefaultsForFlagsNotGiven() throws Exception {
        ParsedFlags parsed = parse();

        assertThat(parsed.string("host")).isEqualTo("127.0.0.1");
        assertThat(parsed.integer("chunk-size")).isEqualTo(1000);
        assertThat(parsed.bool("concurrent")).isTrue();
        assertThat(parsed.list("tag")).isEmpty();
        assertThat(parsed.isSet("host")).isFalse();
    }

    @Test
    void tellsAValueEqualToTheDefaultFromAnotherOne() throws Exception {
        ParsedFlags parsed = parse("--chunk-size=1000", "--concurrent=false", "--execute=false");

        assertThat(parsed.differsFromDefault("chunk-size")).isFalse();
        assertThat(parsed.differsFromDefault("execute")).isFalse();
        assertThat(parsed.differsFromDefault("concurrent")).isTrue();
        assertThat(parsed.differsFromDefault("host")).isFalse();
    }

    @Test
    void endsFlagsAtADoubleDash() throws Exception {
        assertThat(parse("--execute", "--").bool("execute")).isTrue();
        assertThatThrownBy(() -> parse("--execute", "--", "--verbose"))
                .hasMessageStartingWith("unexpected argument \"--verbose\"");
    }

    @Test
    void stopsAtTheFirstNonFlagAndRefusesTheRest() {
        assertThatThrownBy(() -> parse("--host", "db1", "oops", "--execute"))
                .isInstanceOf(FlagParseException.class)
                .hasMessageStartingWith("unexpected argument \"oops\"");
        assertThatThrownBy(() -> parse("-")).hasMessageStartingWith("unexpected argument \"-\"");
    }

    @Test
    void namesAnUnknownFlagAsGoDoes() {
        assertFails("flag provided but not defined: -nope", "--nope");
        assertFails("flag provided but not defined: -nope", "-nope=1");
        assertFails("flag provided but not defined: -Execute", "--Execute");
    }

    @Test
    void wantsAnArgumentForANonBooleanFlag() {
        assertFails("flag needs an argument: -alter", "--alter");
        assertFails("flag needs an argument: -chunk-size", "--execute", "-chunk-size");
    }

    @Test
    void refusesBadFlagSyntax() {
        assertFails("bad flag syntax: ---alter", "---alter");
        assertFails("bad flag syntax: -=x", "-=x");
        assertFails("bad flag syntax: --=x", "--=x");
    }

    @Test
    void treatsDashHAsARequestForHelpWhenNotDefined() {
        assertThatThrownBy(() -> parse("-h")).isInstanceOfSatisfying(FlagParseException.class,
                e -> assertThat(e.helpRequested()).isTrue());
        assertThatThrownBy(() -> parse("--help")).isInstanceOfSatisfying(FlagParseException.class,
                e -> assertThat(e.helpRequested()).isTrue());
    }

    @ParameterizedTest
    @CsvSource({"10,10", "-5,-5", "+7,7", "0x1F,31", "0X1f,31", "010,8", "0o17,15", "0b101,5", "1_000,1000",
            "0x_ff,255", "0,0", "9223372036854775807,9223372036854775807", "-9223372036854775808,-9223372036854775808"})
    void readsIntegersAsGoDoes(String text, long expected) throws Exception {
        assertThat(parse("--chunk-size=" + text).integer("chunk-size")).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.5", "12a", "08", "0x", "_1", "1_", "1__0", "- 1", "+"})
    void refusesIntegersGoRefuses(String text) {
        assertFails("invalid value \"" + text + "\" for flag -chunk-size: parse error", "--chunk-size=" + text);
    }

    @Test
    void saysWhenAnIntegerIsOutOfRange() {
        assertFails("invalid value \"9223372036854775808\" for flag -chunk-size: value out of range",
                "--chunk-size=9223372036854775808");
    }

    @Test
    void readsUnsignedIntegersWithoutASign() throws Exception {
        assertThat(parse("--server-id=18446744073709551615").integer("server-id")).isEqualTo(-1L); // all 64 bits set
        assertFails("invalid value \"-1\" for flag -server-id: parse error", "--server-id=-1");
        assertFails("invalid value \"18446744073709551616\" for flag -server-id: value out of range",
                "--server-id=18446744073709551616");
    }

    @ParameterizedTest
    @CsvSource({"1.5,1.5", ".5,0.5", "2.,2", "1e3,1000", "-0.7,-0.7", "1_000.5,1000.5", "0x1p-2,0.25", "+Inf,Infinity"})
    void readsFloatsAsGoDoes(String text, double expected) throws Exception {
        assertThat(parse("--ratio=" + text).decimal("ratio")).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5d", "1f", "Infinity1", "0x1.8", "e3", "1e", "abc", ""})
    void refusesFloatsGoRefuses(String text) {
        assertFails("invalid value \"" + text + "\" for flag -ratio: parse error", "--ratio=" + text);
    }

    @Test
    void printsUsageInGosLayout() {
        String usage = flags.usage("ghost", Map.of("ratio", "not supported yet by ghost"));

        assertThat(usage).startsWith("Usage of ghost:\n  -alter string\n    \tthe alter\n");
        assertThat(usage).contains("  -chunk-size int\n    \trows (default 1000)\n");
        assertThat(usage).contains("  -concurrent\n    \tcount (default true)\n");
        assertThat(usage).contains("  -execute\n    \trun\n");
        assertThat(usage).contains("  -host string\n    \thost (default \"127.0.0.1\")\n");
        assertThat(usage).contains("  -ratio float\n    \tratio\n    \t[not supported yet by ghost]\n");
        assertThat(usage).contains("  -tag value\n    \ttags\n");
    }

    @Test
    void refusesADefinitionTwice() {
        assertThatThrownBy(() -> new GoFlags(List.of(Flag.bool("x", false, ""), Flag.string("x", "", ""))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
