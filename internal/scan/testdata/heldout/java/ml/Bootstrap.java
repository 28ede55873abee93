package ml;

/** Wires the feature-store client for the nightly batch job. */
public final class Bootstrap {
    private static final String API_KEY_HEADER = "X-Api-Key";

    public static void main(String[] args) {
        System.setProperty("FEATURE_STORE_TOKEN", "{{generic}}");
        System.setProperty("feature.store.url", "https://features.internal:8443");
        Config config = Config.load();
        config.set("password", "{{generic}}");
        config.set("token_type", "Bearer");
        String sessionToken = Tokens.{{!identifier-const}};
        Client c = new Client(config, sessionToken);
        c.run();
    }
}
