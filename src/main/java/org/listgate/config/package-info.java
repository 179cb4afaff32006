/**
 * CONFIG — {@code listgate.properties} into a checked {@link org.listgate.config.Config}.
 *
 * <p>Each key is declared once, with its name, its default and its reader ({@code Keys}); a key in
 * the file that is not declared there is warned about, not fatal. Every error is one line naming
 * the file and the key ({@link org.listgate.config.ConfigException}). Durations: {@code 250ms},
 * {@code 30s}, {@code 5m}, {@code 1h}, {@code 5d}.
 */
package org.listgate.config;
