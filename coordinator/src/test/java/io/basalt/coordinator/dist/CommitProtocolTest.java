package io.basalt.coordinator.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which commit protocol a transaction gets from which of its parts wrote. */
class CommitProtocolTest {

  @Test
  void nothingWrittenOnWorkersLetsTheCoordinatorDecide() {
    assertEquals(CommitProtocol.COORDINATOR, CommitProtocol.choose(0, false));
    assertEquals(CommitProtocol.COORDINATOR, CommitProtocol.choose(0, true));
  }

  @Test
  void oneWorkerWriterAloneCommitsInOnePhase() {
    assertEquals(CommitProtocol.ONE_PHASE, CommitProtocol.choose(1, false));
  }

  @Test
  void aWorkerWriterAndACoordinatorWriteNeedTwoPhases() {
    assertEquals(CommitProtocol.TWO_PHASE, CommitProtocol.choose(1, true));
  }

  @Test
  void twoWorkerWritersNeedTwoPhases() {
    assertEquals(CommitProtocol.TWO_PHASE, CommitProtocol.choose(2, false));
    assertEquals(CommitProtocol.TWO_PHASE, CommitProtocol.choose(3, true));
  }

  @Test
  void unmarkedParticipantsAreAskedOnlyWhenTheirAnswerMatters() {
    // Nothing to ask.
    assertFalse(CommitProtocol.mustAsk(2, true, 0));
    // A lone reader: whatever it did, its COMMIT decides alone.
    assertFalse(CommitProtocol.mustAsk(0, false, 1));
    // A reader next to a writer, a coordinator write, or another reader: its write would need
    // a second phase.
    assertTrue(CommitProtocol.mustAsk(1, false, 1));
    assertTrue(CommitProtocol.mustAsk(0, true, 1));
    assertTrue(CommitProtocol.mustAsk(0, false, 2));
    // With two writers already it is two-phase, but a reader that wrote must be prepared too.
    assertTrue(CommitProtocol.mustAsk(2, false, 1));
  }
}
