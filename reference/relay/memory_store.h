// File: reference/relay/memory_store.h
//
// `MemoryStore`: the MailboxStore kept in process memory behind one mutex
// (`--store memory`). Fast, lost on exit. Every operation is atomic because
// it runs entirely under the mutex.
#pragma once

#include <memory>

#include "reference/relay/mailbox_store.h"

namespace tigress::relay {

// `MakeMemoryStore` returns an empty in-memory store.
std::unique_ptr<MailboxStore> MakeMemoryStore();

}  // namespace tigress::relay
