package dev.portcullis.servlet;

import java.util.List;

/** The container tests on embedded Tomcat 11. */
class AuthFilterTomcatTest extends AbstractAuthFilterContainerTest {

    private final TomcatContainer container = new TomcatContainer();

    @Override
    protected int start(List<TestApp.Deployment> deployments) throws Exception {
        return container.start(deployments);
    }

    @Override
    protected void stop() throws Exception {
        container.stop();
    }
}
