package io.scaleout.perf.bench;

import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native agent into a running JVM (for {@code perf/profile.sh}: async-profiler's start
 * and stop commands). Usage: {@code AttachAgent PID LIBRARY OPTIONS}.
 */
public final class AttachAgent {
  private AttachAgent() {
  }

  public static void main(String[] args) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(args[0]);
    try {
      vm.loadAgentPath(args[1], args[2]);
    } finally {
      vm.detach();
    }
  }
}
