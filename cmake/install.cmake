# `cmake --install`: the tool, libattrledger (shared and static), its public
# headers, attrledger.pc, the CMake package AttrLedger, man pages, bash
# completion and the documentation (GNU install directories throughout).
include(CMakePackageConfigHelpers)

install(TARGETS attrledger_shared EXPORT AttrLedgerTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS attrledger EXPORT AttrLedgerStaticTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/ledger/include/attrledger
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev FILES_MATCHING PATTERN "*.h")

# attrledger.pc: relocatable (prefix found from the file's own place), so the
# tree can be installed under any prefix or DESTDIR.
file(RELATIVE_PATH LEDGER_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig
     ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" LEDGER_PC_TO_PREFIX "${LEDGER_PC_TO_PREFIX}")
file(RELATIVE_PATH LEDGER_PC_LIBDIR ${CMAKE_INSTALL_PREFIX} ${CMAKE_INSTALL_FULL_LIBDIR})
file(RELATIVE_PATH LEDGER_PC_INCDIR ${CMAKE_INSTALL_PREFIX} ${CMAKE_INSTALL_FULL_INCLUDEDIR})
set(CMAKE_DL_LIBS_FLAG "")
foreach(l ${CMAKE_DL_LIBS})
  string(APPEND CMAKE_DL_LIBS_FLAG " -l${l}")
endforeach()
string(STRIP "${CMAKE_DL_LIBS_FLAG}" CMAKE_DL_LIBS_FLAG)
configure_file(${PROJECT_SOURCE_DIR}/cmake/attrledger.pc.in
               ${CMAKE_CURRENT_BINARY_DIR}/attrledger.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/attrledger.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

# find_package(AttrLedger): AttrLedger::attrledger (shared) and
# AttrLedger::attrledger_static (needs the -dev packages of its dependencies).
set(LEDGER_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/AttrLedger)
install(EXPORT AttrLedgerTargets NAMESPACE AttrLedger:: DESTINATION ${LEDGER_CMAKE_DIR}
  COMPONENT dev)
install(EXPORT AttrLedgerStaticTargets NAMESPACE AttrLedger:: DESTINATION ${LEDGER_CMAKE_DIR}
  COMPONENT dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/AttrLedgerConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/AttrLedgerConfig.cmake INSTALL_DESTINATION ${LEDGER_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/AttrLedgerConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/AttrLedgerConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/AttrLedgerConfigVersion.cmake
  DESTINATION ${LEDGER_CMAKE_DIR} COMPONENT dev)

install(FILES README.md SECURITY.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
file(GLOB LEDGER_DOCS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${LEDGER_DOCS} DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs COMPONENT runtime)

if(LEDGER_BUILD_CLI)
  install(TARGETS attrledger_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
  # Man pages come from the tool's own help text (`attrledger help --man`)
  # and from docs/FORMATS.md: a new command gets its page with no edit here.
  set(LEDGER_MAN_DIR ${CMAKE_BINARY_DIR}/man)
  add_custom_command(OUTPUT ${LEDGER_MAN_DIR}/stamp
    COMMAND ${CMAKE_COMMAND} -DCLI=$<TARGET_FILE:attrledger_cli> -DOUT=${LEDGER_MAN_DIR}
            -DFORMATS=${PROJECT_SOURCE_DIR}/docs/FORMATS.md
            -DMD2MAN=${PROJECT_SOURCE_DIR}/cmake/md2man.awk
            -DVERSION=${PROJECT_VERSION}
            -P ${PROJECT_SOURCE_DIR}/cmake/genman.cmake
    DEPENDS attrledger_cli ${PROJECT_SOURCE_DIR}/docs/FORMATS.md
            ${PROJECT_SOURCE_DIR}/cmake/md2man.awk ${PROJECT_SOURCE_DIR}/cmake/genman.cmake
    COMMENT "Generating man pages" VERBATIM)
  add_custom_target(man ALL DEPENDS ${LEDGER_MAN_DIR}/stamp)
  install(DIRECTORY ${LEDGER_MAN_DIR}/man1 ${LEDGER_MAN_DIR}/man5
    DESTINATION ${CMAKE_INSTALL_MANDIR} COMPONENT runtime)
  install(FILES ${PROJECT_SOURCE_DIR}/cli/completion.bash
    DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME attrledger
    COMPONENT runtime)
endif()
