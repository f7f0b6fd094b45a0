package org.hvkit.block.virtio.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationsTest {

    @Test
    void shouldReturnTheDefaultsOfTheAnnotation() {
        VirtioBlkConfiguration c = Configurations.of(Map.of());

        assertThat(c.id()).isNull();
        assertThat(c.num_queues()).isEqualTo(1);
        assertThat(c.queue_size()).isEqualTo(256);
        assertThat(c.backend()).isEqualTo("ram");
        assertThat(c.path()).isEmpty();
        assertThat(c.capacity()).isEmpty();
        assertThat(c.read_only()).isFalse();
        assertThat(c.iothread_vq_mapping()).isEmpty();
        assertThat(c.serial()).isEmpty();
    }

    @Test
    void shouldReturnTheOverridesByMethodName() {
        VirtioBlkConfiguration c = Configurations.of(Map.of("id", "disk0", "num_queues", 4, "read_only", true,
                "iothread_vq_mapping", new String[] {"io0", "io1"}));

        assertThat(c.id()).isEqualTo("disk0");
        assertThat(c.num_queues()).isEqualTo(4);
        assertThat(c.read_only()).isTrue();
        assertThat(c.iothread_vq_mapping()).containsExactly("io0", "io1");
        assertThat(c.queue_size()).isEqualTo(256);
        assertThat(c.annotationType()).isEqualTo(VirtioBlkConfiguration.class);
    }

    @Test
    void shouldRejectAnOverrideNamingNoMethod() {
        assertThatThrownBy(() -> Configurations.of(Map.of("num.queues", 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no configuration method 'num.queues'");
    }

    @Test
    void shouldRejectAnOverrideOfTheWrongType() {
        assertThatThrownBy(() -> Configurations.of(Map.of("num_queues", "2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("num_queues is a int, not a String");
    }

    @Test
    void shouldHandOutACopyOfAnArrayOnEachCall() {
        VirtioBlkConfiguration c = Configurations.of(Map.of("iothread_vq_mapping", new String[] {"io0"}));

        c.iothread_vq_mapping()[0] = "changed";

        assertThat(c.iothread_vq_mapping()).containsExactly("io0");
    }
}
