package dev.flint.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class TemplateTest {

    private final RandomGenerator random = RandomGenerator.of("L64X128MixRandom");

    @Test
    void wholeNumbersStayWithinTheirBoundsAndVary() {
        Template template = Template.parse("/api/circle?radius={{random:1:100}}");
        assertThat(template.varies()).isTrue();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String url = template.render(i, random);
            int radius = Integer.parseInt(url.substring(url.indexOf('=') + 1));
            assertThat(radius).isBetween(1, 100);
            seen.add(url);
        }
        assertThat(seen).as("nearly every value of 1..100 in 2000 draws").hasSizeGreaterThan(95);
    }

    @Test
    void decimalsHaveTheBoundsPrecision() {
        Template template = Template.parse("{\"radius\": {{random:0.5:10.00}}}");
        for (int i = 0; i < 500; i++) {
            String body = template.render(i, random);
            String number = body.substring(body.indexOf(':') + 2, body.length() - 1);
            assertThat(number).matches("\\d+\\.\\d\\d");
            assertThat(Double.parseDouble(number)).isBetween(0.5, 10.0);
        }
    }

    @Test
    void sequencesAndPicks() {
        Template template = Template.parse("/items/{{seq}}/{{seq:100}}?color={{pick:red|green}}");
        assertThat(template.render(7, random)).matches("/items/7/107\\?color=(red|green)");
        assertThat(Template.parse("no fields").varies()).isFalse();
        assertThat(Template.parse("no fields").render(3, random)).isEqualTo("no fields");
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThatThrownBy(() -> Template.parse("/x?{{uuid}}")).hasMessageContaining("unknown template field {{uuid}}")
                .hasMessageContaining("{{random:MIN:MAX}}");
        assertThatThrownBy(() -> Template.parse("/x?{{random:1}}")).hasMessageContaining("{{random:1}}");
        assertThatThrownBy(() -> Template.parse("/x?{{random:5:1}}")).hasMessageContaining("MIN is greater than MAX");
        assertThatThrownBy(() -> Template.parse("/x?{{random:a:b}}")).hasMessageContaining("must be numbers");
        assertThatThrownBy(() -> Template.parse("/x?{{seq")).hasMessageContaining("no closing }}");
    }
}
