// The app's line to the lab engine on this platform (app/lab/lab_link.h):
// in the browser a Web Worker (web_lab_link.cpp), on the desktop a thread
// (thread_lab_link.cpp). main() hands it to the App as its LabLink::Factory.
#pragma once

#include <memory>

#include "app/lab/lab_link.h"

namespace attnlab {

std::unique_ptr<LabLink> create_engine_link(LabLink::ReplyHandler on_reply, LabLink::SnapshotHandler on_snapshot);

}  // namespace attnlab
