/**
 * The virtio devices hvkit runs, as OSGi services: what the shell and other tools may
 * inspect and steer. Devices are created from configuration by the block.virtio bundle.
 */
@Export
@Version("1.1.0")
package org.hvkit.block.virtio.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
