package dev.flint.host.invoke.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypesTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "text/json",
            " Application/JSON ", "application/vnd.api+json", "application/problem+json;charset=UTF-8"})
    void recognisesJson(String contentType) {
        assertThat(MediaTypes.isJson(contentType)).isTrue();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "text/plain", "application/jsonp", "application/octet-stream", "json"})
    void recognisesWhatIsNotJson(String contentType) {
        assertThat(MediaTypes.isJson(contentType)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/octet-stream", "Application/Octet-Stream", "multipart/form-data; boundary=x",
            "multipart/mixed"})
    void recognisesBodiesAzureSendsAsBase64(String contentType) {
        assertThat(MediaTypes.isOctetStreamOrMultipart(contentType)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"image/png", "application/octet-stream", "application/pdf", "audio/mpeg",
            "application/zip"})
    void recognisesBytes(String contentType) {
        assertThat(MediaTypes.isTextual(contentType)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html", "TEXT/CSV", "application/json", "application/ld+json", "application/xml",
            "application/atom+xml", "image/svg+xml", "application/javascript", "application/x-www-form-urlencoded",
            "application/octet-stream; charset=utf-8"})
    void recognisesText(String contentType) {
        assertThat(MediaTypes.isTextual(contentType)).isTrue();
    }
}
