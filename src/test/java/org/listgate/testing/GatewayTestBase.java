package org.listgate.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test with a listgate installation in a temporary folder, stopped after each test. */
public abstract class GatewayTestBase {

    @TempDir protected Path dir;

    protected TestSite site;

    @AfterEach
    void stopGateway() {
        if (site != null) {
            site.close();
        }
    }
}
