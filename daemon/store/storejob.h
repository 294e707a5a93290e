#pragma once

#include "common/serviceerror.h"

#include <functional>

namespace gw {

class SqlSession;

// A unit of store work as the store threads see it. `run` may throw
// StoreError; for a write, `committed` runs after the batch's COMMIT and
// `failed` when the job (or the whole batch's commit) failed.
struct StoreJob
{
    std::function<void(SqlSession &)> run;
    std::function<void()> committed;
    std::function<void(const StoreError &)> failed;
    // Nobody waits for it (usage rows, the local ledger's batches): the
    // writer may hold it back a few milliseconds to commit it with more.
    bool background = false;
};

} // namespace gw
