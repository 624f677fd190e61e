# cmake -D SRC=<repo>/src -P tests/layers.cmake
# Fails naming each include that points the wrong way:
#   src/core      may include only core/ (and no ImGui, GL, GLFW or Emscripten header);
#   src/app       may include core/ and app/, never platform/, worker/ or cli/;
#   src/worker, src/cli   may include core/ only.
# The CMake targets enforce the same at link time (attnlab_app links no
# platform code); this names the line at once.
set(problems "")
function(check folder forbidden_regex why)
  file(GLOB_RECURSE files "${SRC}/${folder}/*.h" "${SRC}/${folder}/*.cpp" "${SRC}/${folder}/*.cpp.in")
  foreach(f IN LISTS files)
    file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include")
    foreach(line IN LISTS lines)
      if(line MATCHES "${forbidden_regex}")
        file(RELATIVE_PATH rel "${SRC}/.." "${f}")
        set(problems "${problems}\n  ${rel}: ${line}  (${why})" PARENT_SCOPE)
        set(problems "${problems}\n  ${rel}: ${line}  (${why})")
      endif()
    endforeach()
  endforeach()
endfunction()
check(core "[\"<](app|platform|worker|cli)/|imgui|GL/|GLES|GLFW|emscripten" "the core includes only the core")
check(app "[\"<](platform|worker|cli)/|emscripten|GLFW" "the app reaches the platform through app/host.h and LabLink")
check(worker "[\"<](app|platform|cli)/|imgui" "the worker runs the core only")
check(cli "[\"<](app|platform|worker)/|imgui" "the runner runs the core only")
if(problems)
  message(FATAL_ERROR "includes that point the wrong way:${problems}")
endif()
message(STATUS "layers: core <- app <- platform, every include points one way")
