package dev.flint.host.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flint.host.app.Binding;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.route.FunctionRoutes;

/**
 * {@code GET /admin/functions[/{name}]}: Azure's {@code FunctionMetadataResponse} (snake_case, as
 * Azure writes it): {@code name, href, invoke_url_template, language, config, isDisabled, isDirect,
 * isProxy}; the file links Azure serves from its virtual file system are null.
 */
final class FunctionMetadataJson {

    private FunctionMetadataJson() {}

    static ArrayNode all(AdminContext context, String baseUrl) {
        ArrayNode list = AdminApi.JSON.createArrayNode();
        for (FunctionDefinition fn : context.app().functions()) {
            list.add(of(context, fn, baseUrl));
        }
        return list;
    }

    static ObjectNode of(AdminContext context, FunctionDefinition fn, String baseUrl) {
        ObjectNode node = AdminApi.JSON.createObjectNode();
        node.put("name", fn.name());
        node.putNull("script_root_href");
        node.putNull("script_href");
        node.putNull("config_href");
        node.putNull("test_data_href");
        node.putNull("secrets_file_href");
        node.put("href", baseUrl + "/admin/functions/" + fn.name());
        if (fn.httpTrigger().isPresent()) {
            node.put("invoke_url_template", baseUrl + "/" + FunctionRoutes.template(context.app().host().routePrefix(), fn));
        } else {
            node.putNull("invoke_url_template");
        }
        node.put("language", "custom");
        ObjectNode config = node.putObject("config");
        config.put("disabled", fn.disabled());
        ArrayNode bindings = config.putArray("bindings");
        for (Binding binding : fn.bindings()) {
            bindings.add(binding.json());
        }
        node.putNull("files");
        node.put("test_data", "");
        node.put("isDisabled", fn.disabled());
        node.put("isDirect", false);
        node.put("isProxy", false);
        node.set("flint", HostStatusJson.function(context, fn));
        return node;
    }

    /** Running, Disabled, or NotServed (a trigger or binding Flint does not run yet). */
    static String state(FunctionDefinition fn) {
        if (fn.disabled()) {
            return "Disabled";
        }
        return fn.unsupportedReason().isPresent() ? "NotServed" : "Running";
    }
}
