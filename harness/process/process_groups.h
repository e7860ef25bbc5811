// File: harness/process/process_groups.h
//
// The signal-safe table of the process groups of live children, and the
// interrupt handler that kills them all. `Process` registers each child's
// group when it starts it and unregisters it once the group is dead.
#pragma once

#include <sys/types.h>

namespace tigress::harness {

// `RegisterProcessGroup` adds `pgid` to the table (at most 1024 live groups;
// beyond that a group is silently not tracked). Thread-safe, lock-free.
void RegisterProcessGroup(pid_t pgid);

// `UnregisterProcessGroup` removes `pgid`; a group not in the table is ignored.
void UnregisterProcessGroup(pid_t pgid);

// `InstallInterruptHandler` makes SIGINT and SIGTERM kill every live child's
// process group and exit the harness with status 130. It also ignores
// SIGPIPE, so a dead adapter surfaces as EPIPE on write.
void InstallInterruptHandler();

// `LiveProcessGroups` is the number of registered (not yet stopped) groups.
int LiveProcessGroups();

}  // namespace tigress::harness
