package dev.ghost.examples.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The side-by-side benchmark's pure parts: sysbench's report lines, the load's figures over a run, the table. */
class SideBySideLogicTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void readsSysbenchIntervalReports() {
        assertThat(SysbenchLoad.parse("[ 3s ] thds: 4 tps: 512.02 qps: 3072.10 (r/w/o: 0.00/2048.07/1024.03) "
                + "lat (ms,95%): 12.30 err/s: 1.99 reconn/s: 0.00"))
                .contains(new SysbenchLoad.Report(3, 512.02, 1.99));
        assertThat(SysbenchLoad.parse("[ 12s ] thds: 4 tps: 0.00 qps: 0.00 (r/w/o: 0.00/0.00/0.00) "
                + "lat (ms,95%): 0.00 err/s: 0.00 reconn/s: 0.00"))
                .contains(new SysbenchLoad.Report(12, 0, 0));
    }

    @Test
    void ignoresSysbenchsOtherLines() {
        assertThat(SysbenchLoad.parse("sysbench 1.0.20 (using system LuaJIT 2.1.0-beta3)")).isEmpty();
        assertThat(SysbenchLoad.parse("    transactions:                        1234   (411.33 per sec.)")).isEmpty();
        assertThat(SysbenchLoad.parse("FATAL: mysql_drv_query() returned error 1146")).isEmpty();
    }

    @Test
    void theLoadDuringARunIsWeightedByOverlapAndCountsEveryOverlappingSecond() {
        List<ForegroundLoad.Sample> samples = List.of(
                sample(0, 100, 0), sample(1, 100, 0), sample(2, 100, 0),
                sample(3, 40, 2), sample(4, 0, 0), sample(5, 0, 1), sample(6, 80, 0));
        // the tool ran from 3.5 s to 6.5 s: half of second 3, seconds 4 and 5, half of second 6
        ForegroundLoad.During during = ForegroundLoad.during(samples, 3 * SECOND + SECOND / 2, 6 * SECOND + SECOND / 2);

        assertThat(during.tps()).isCloseTo((0.5 * 40 + 0 + 0 + 0.5 * 80) / 3, within(1e-9));
        assertThat(during.secondsAtZero()).isEqualTo(2);
        assertThat(during.errors()).isEqualTo(3);
        assertThat(ForegroundLoad.baseline(samples, 3 * SECOND + SECOND / 2, 2)).isEqualTo(100);
    }

    @Test
    void aRunShorterThanASecondTakesTheSecondItFallsIn() {
        List<ForegroundLoad.Sample> samples = List.of(sample(0, 100, 0), sample(1, 60, 0));
        ForegroundLoad.During during = ForegroundLoad.during(samples, SECOND + SECOND / 10, SECOND + SECOND / 5);
        assertThat(during.tps()).isEqualTo(60);
        assertThat(ForegroundLoad.during(samples, 5 * SECOND, 6 * SECOND).tps()).isNaN();
    }

    @Test
    void theTableHoldsMediansAndRatiosToNativeAndPtOsc() {
        SideBySideTable.Figures nativeAlter = new SideBySideTable.Figures();
        nativeAlter.idleSeconds.addAll(List.of(10.0, 12.0, 11.0));
        nativeAlter.loadedSeconds.addAll(List.of(20.0, 20.0, 20.0));
        SideBySideTable.Figures ptOsc = new SideBySideTable.Figures();
        ptOsc.idleSeconds.addAll(List.of(22.0, 22.0, 22.0));
        ptOsc.loadedSeconds.addAll(List.of(40.0, 40.0, 40.0));
        SideBySideTable.Figures ghost = new SideBySideTable.Figures();
        ghost.idleSeconds.addAll(List.of(13.2, 14.0, 12.0));
        ghost.loadedSeconds.addAll(List.of(60.0, 50.0));
        ghost.tpsBefore.addAll(List.of(1000.0, 1000.0));
        ghost.tpsDuring.addAll(List.of(850.0, 900.0));
        ghost.tpsShare.addAll(List.of(0.85, 0.9));
        ghost.secondsAtZero.addAll(List.of(0.0, 1.0));
        ghost.errors.addAll(List.of(2.0, 2.0));
        ghost.idleLockMs.addAll(List.of(12.0, 14.0, 13.0));
        ghost.loadedLockMs.addAll(List.of(30.0));
        ghost.idleHeapMb.addAll(List.of(80.0));
        ghost.loadedHeapMb.addAll(List.of(120.0));
        Map<String, SideBySideTable.Figures> tools = new LinkedHashMap<>();
        tools.put(SideBySideTable.NATIVE, nativeAlter);
        tools.put(SideBySideTable.PT_OSC, ptOsc);
        tools.put("ghost", ghost);

        List<String> lines = new SideBySideTable(tools).lines();

        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("| tool ").contains("| idle ×native |").contains("| loaded ×pt-osc |");
        assertThat(lines.get(1)).matches("\\|( -+ \\|)+");
        assertThat(cells(lines.get(2))).containsExactly("native", "11.00", "1.00", "0.50", "20.00", "1.00", "0.50",
                "n/a", "n/a", "n/a", "n/a", "n/a", "n/a");
        assertThat(cells(lines.get(4))).containsExactly("ghost", "13.20", "1.20", "0.60", "55.00", "2.75", "1.38",
                "1000", "875 (88%)", "0.5", "2", "13.0 / 30.0", "80 / 120");
        assertThat(lines).allSatisfy(line -> assertThat(line).hasSameSizeAs(lines.get(0)));
    }

    @Test
    void withoutNativeOrPtOscTheirRatiosAreNotAvailable() {
        SideBySideTable.Figures ghost = new SideBySideTable.Figures();
        ghost.idleSeconds.add(1.0);
        List<String> lines = new SideBySideTable(Map.of("ghost", ghost)).lines();
        assertThat(cells(lines.get(2)).subList(0, 5)).containsExactly("ghost", "1.00", "n/a", "n/a", "n/a");
    }

    private static ForegroundLoad.Sample sample(int second, double tps, double errorsPerSecond) {
        return new ForegroundLoad.Sample(second * SECOND, (second + 1) * SECOND, tps, errorsPerSecond);
    }

    private static List<String> cells(String line) {
        return List.of(line.substring(1, line.length() - 1).split("\\|")).stream().map(String::strip).toList();
    }
}
