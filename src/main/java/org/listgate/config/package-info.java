/**
 * CONFIG — {@code listgate.properties} into a checked {@link org.listgate.config.Config}.
 *
 * <p>Every error is one line naming the file and the key ({@link org.listgate.config.ConfigException});
 * unknown keys are warned about, not fatal. Durations: {@code 250ms}, {@code 30s}, {@code 5m},
 * {@code 1h}, {@code 5d}.
 */
package org.listgate.config;
