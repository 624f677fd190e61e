// How often the page runs a frame. While someone uses it (input in the last
// second) it runs one every animation frame; otherwise at most 15 a second.
// The training engines send at most 10 snapshots a second, so the frames in
// between would show nothing new: they only took CPU from the Web Workers
// that train (on a 2-core machine with a software-rendered canvas, more than
// a whole core) and battery from a laptop.
#pragma once

namespace attnlab {

// An input event (pointer, key, wheel, resize) or a command through the page's API.
void frame_pacer_note_input();

// Whether to run a frame now; true at full rate while `busy` (an animation,
// a capture) or within a second of input.
bool frame_pacer_should_run(bool busy);

}  // namespace attnlab
