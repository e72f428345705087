package dev.ghost.internal.trigger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TriggerOptionsTest {

    @Test
    void appendsTheSuffix() {
        TriggerOptions options = new TriggerOptions(true, "_ght", false);
        assertThat(options.ghostName("t_ai")).isEqualTo("t_ai_ght");
        assertThat(options.ghostName("t_ai_ght")).isEqualTo("t_ai_ght_ght");
    }

    @Test
    void removesASuffixAlreadyThereWhenAsked() {
        TriggerOptions options = new TriggerOptions(true, "_ght", true);
        assertThat(options.ghostName("t_ai_ght")).isEqualTo("t_ai");
        assertThat(options.ghostName("t_ai")).isEqualTo("t_ai_ght");
    }

    @Test
    void createsTheTriggerOnTheTargetWithoutADefiner() {
        TableTrigger trigger = new TableTrigger("t_ai", "AFTER", "INSERT", "INSERT INTO audit VALUES (NEW.id)", "");
        assertThat(TableTriggers.createStatement(trigger, "t_ai_v2", new dev.ghost.spi.TableName("d", "_t_gho")))
                .isEqualTo("CREATE TRIGGER `t_ai_v2` AFTER INSERT ON `d`.`_t_gho` FOR EACH ROW "
                        + "INSERT INTO audit VALUES (NEW.id)");
    }
}
