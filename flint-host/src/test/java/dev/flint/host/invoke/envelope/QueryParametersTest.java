package dev.flint.host.invoke.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParametersTest {

    @Test
    void parsesNothingFromANullOrEmptyQuery() {
        assertThat(QueryParameters.parse(null)).isEmpty();
        assertThat(QueryParameters.parse("")).isEmpty();
        assertThat(QueryParameters.parse("&&")).isEmpty();
    }

    @Test
    void groupsNamesCaseInsensitivelyUnderTheFirstSpelling() {
        assertThat(QueryParameters.parse("Tag=a&b=1&tag=b&TAG=c"))
                .containsExactly(Map.entry("Tag", "a,b,c"), Map.entry("b", "1"));
    }

    @Test
    void splitsOnTheFirstEqualsSignOnly() {
        assertThat(QueryParameters.parse("expr=a=b&empty=&bare"))
                .containsExactly(Map.entry("expr", "a=b"), Map.entry("empty", ""), Map.entry("bare", ""));
    }

    @Test
    void decodesPercentEscapesAndPlusLikeAspNet() {
        assertThat(QueryParameters.parse("q=caf%C3%A9+au+lait&%6Eame=%E2%9C%93&raw=é"))
                .containsExactly(Map.entry("q", "café au lait"), Map.entry("name", "✓"), Map.entry("raw", "é"));
    }

    @Test
    void keepsMalformedEscapesAsTheyAre() {
        assertThat(QueryParameters.parse("a=100%&b=%zz&c=%4"))
                .containsExactly(Map.entry("a", "100%"), Map.entry("b", "%zz"), Map.entry("c", "%4"));
    }

    @Test
    void toleratesALeadingQuestionMark() {
        assertThat(QueryParameters.parse("?a=1")).containsExactly(Map.entry("a", "1"));
    }
}
