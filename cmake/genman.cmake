# cmake -DCLI=attrledger -DOUT=DIR -DFORMATS=FORMATS.md -DMD2MAN=md2man.awk
#       -DVERSION=V -P genman.cmake
# Writes DIR/man1/attrledger.1, DIR/man1/attrledger-CMD.1 for every command
# the tool lists (`attrledger help --commands`), each the roff rendering of
# `attrledger help CMD` (`attrledger help --man CMD`), and
# DIR/man5/attrledger-formats.5 from docs/FORMATS.md.
file(REMOVE_RECURSE ${OUT}/man1 ${OUT}/man5)
file(MAKE_DIRECTORY ${OUT}/man1 ${OUT}/man5)
execute_process(COMMAND ${CLI} help --commands OUTPUT_VARIABLE cmds RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${CLI} help --commands failed")
endif()
string(REPLACE "\n" ";" cmds "${cmds}")
execute_process(COMMAND ${CLI} help --man OUTPUT_FILE ${OUT}/man1/attrledger.1
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${CLI} help --man failed")
endif()
foreach(cmd ${cmds})
  if(cmd STREQUAL "")
    continue()
  endif()
  execute_process(COMMAND ${CLI} help --man ${cmd}
                  OUTPUT_FILE ${OUT}/man1/attrledger-${cmd}.1 RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${CLI} help --man ${cmd} failed")
  endif()
endforeach()
execute_process(COMMAND awk -v version=${VERSION} -f ${MD2MAN} ${FORMATS}
                OUTPUT_FILE ${OUT}/man5/attrledger-formats.5 RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "md2man failed on ${FORMATS}")
endif()
file(TOUCH ${OUT}/stamp)
