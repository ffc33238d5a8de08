package dev.flint.host.testing;

import java.nio.file.Path;

/**
 * An envelope-mode app on the Python test handler with one function at each auth level (and
 * {@code guarded}, called only by tests that read their rejection's log line, so that the
 * log's rate limit never hides it), a timer, a queue function and a disabled one: what the key and admin API tests run against.
 */
public final class SecuredApp {

    private SecuredApp() {}

    public static TestApp in(Path directory) {
        return TestApp.in(directory)
                .hostJson("{'version':'2.0','customHandler':{'description':"
                        + "{'defaultExecutablePath':'python3','arguments':['envelope_handler.py']}}}")
                .handler("envelope_handler.py")
                .function("echo", http("anonymous"))
                .function("secured", http("function"))
                .function("other", http("function"))
                .function("guarded", http("function"))
                .function("adminonly", http("admin"))
                .function("tick", "{'bindings':[{'type':'timerTrigger','direction':'in','name':'myTimer',"
                        + "'schedule':'0 */5 * * * *'}]}")
                .function("queued", "{'bindings':[{'type':'queueTrigger','direction':'in','name':'item',"
                        + "'queueName':'work','connection':''},{'type':'queue','direction':'out','name':'out',"
                        + "'queueName':'next','connection':''}]}")
                .function("routed", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'function',"
                        + "'route':'items/{id}'},{'type':'http','direction':'out','name':'res'}]}")
                .function("off", "{'disabled':true,'bindings':[{'type':'httpTrigger','direction':'in','name':'req',"
                        + "'authLevel':'function'},{'type':'http','direction':'out','name':'res'}]}");
    }

    private static String http(String level) {
        return "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'" + level + "',"
                + "'methods':['get','post']},{'type':'http','direction':'out','name':'res'}]}";
    }
}
