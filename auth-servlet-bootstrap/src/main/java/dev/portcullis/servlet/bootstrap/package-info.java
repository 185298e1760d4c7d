/**
 * Configuration-only setup for servlet applications: {@link dev.portcullis.servlet.bootstrap.PortcullisInitializer}
 * and the settings it reads ({@link dev.portcullis.servlet.bootstrap.BootstrapKeys}).
 */
package dev.portcullis.servlet.bootstrap;
