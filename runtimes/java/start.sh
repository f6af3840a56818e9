#!/bin/sh
# Starts the JVM on the classes compiled at build and the jars a pom.xml brought (.plinth/lib); settings chosen for a quick start and a small footprint.
exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xss512k -cp "${PLINTH_RUNTIME_CODE:-.}/.plinth/classes:${PLINTH_RUNTIME_CODE:-.}/.plinth/lib/*" io.openruntimes.java.Server
