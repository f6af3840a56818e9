#!/bin/sh
# Starts the server compiled at build with the function.
exec "${PLINTH_RUNTIME_CODE:-.}/.plinth/server"
