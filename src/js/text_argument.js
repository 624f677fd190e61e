// Linked into both wasm modules (--post-js; src/CMakeLists.txt): calls an
// exported C function whose one argument is a string, copied to the heap
// rather than through ccall's own copy on the wasm stack, which holds about
// 1.2 million characters at most (5 MB at up to 4 bytes each): a command
// carrying a 1 MB exercise file, once JSON escapes its quotes, overflowed it.
//   module.callWithText("attnlab_command", "string", json)   // C name without "_"; returnType as for ccall
Module["callWithText"] = function(name, returnType, text) {
  var size = lengthBytesUTF8(text) + 1;
  var ptr = _malloc(size);
  stringToUTF8(text, ptr, size);
  try {
    return ccall(name, returnType, ["number"], [ptr]);
  } finally {
    _free(ptr);
  }
};
