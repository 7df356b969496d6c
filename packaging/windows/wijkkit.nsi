; Wijkkit's Windows installer: a per-user install without administrator rights.
;
; Why per user: municipal coordinators sit at locked-down PCs where nobody can approve an
; administrator prompt. Everything therefore goes under the user's own profile:
;   the program   %LOCALAPPDATA%\Programs\Wijkkit (the whole PyInstaller folder dist\Wijkkit)
;   the uninstaller  HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Wijkkit
;   .wijksync / .wijkhub  HKCU\Software\Classes (ProgIDs Wijkkit.SyncBundle, Wijkkit.HubKey)
;   a Start-menu shortcut in the user's own Start menu.
; The user's data (%LOCALAPPDATA%\wijkkit, platformdirs) and settings are never touched, not
; even by the uninstaller. Dutch first, English second: Windows picks by its display language.
;
; Build (on Windows, after `pyinstaller build.spec`):
;   makensis -WX -DVERSION=1.2.3 -DVIVERSION=1.2.3.0 packaging\windows\wijkkit.nsi
; (python -m tools.release_version prints both numbers), which writes
; dist\Wijkkit-<version>-windows-x64-setup.exe.
; Defines: DIST (the bundle folder, default ..\..\dist\Wijkkit: relative paths start in this
; folder, where makensis works), VERSION (shown and registered),
; VIVERSION (four numbers for the file's version resource, optional), OUTFILE, APP_EXE and
; CLI_EXE (the two executables; .ci/run compiles against the Linux bundle, whose files have no
; .exe, to prove the script with `makensis -WX`: it proves the script, not the payload).
; Silent: `Wijkkit-<version>-windows-x64-setup.exe /S`, `uninstall.exe /S`. Exit code 2 when Wijkkit runs.

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
!ifdef UNCOMPRESSED  ; .ci/run: the payload is not the point there, and lzma takes minutes
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!define /ifndef VERSION "0.0.0"
!define /ifndef DIST "..\..\dist\Wijkkit"
!define /ifndef APP_EXE "wijkkit.exe"
!define /ifndef CLI_EXE "wijkkit-cli.exe"
!define /ifndef OUTFILE "..\..\dist\Wijkkit-${VERSION}-windows-x64-setup.exe"
!define /ifndef ICON "..\..\resources\icons\wijkkit.ico"
!define APP_NAME "Wijkkit"
!define PUBLISHER "Wijkkit"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Wijkkit"
!define UNINSTALLER "uninstall.exe"

!if ! /FileExists "${DIST}\${APP_EXE}"
  !error "No ${APP_EXE} in ${DIST}: build the bundle first (pyinstaller build.spec), or pass -DDIST=..."
!endif
!if ! /FileExists "${DIST}\${CLI_EXE}"
  !error "No ${CLI_EXE} in ${DIST}: the bundle lacks its command-line executable"
!endif

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Wijkkit"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "${APP_NAME} ${VERSION}"

!ifdef VIVERSION
  VIProductVersion "${VIVERSION}"
  VIFileVersion "${VIVERSION}"
  VIAddVersionKey /LANG=0 "ProductName" "${APP_NAME}"
  VIAddVersionKey /LANG=0 "FileDescription" "${APP_NAME} setup"
  VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
  VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
  VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
  VIAddVersionKey /LANG=0 "LegalCopyright" "MIT"
!endif

; ---- pages --------------------------------------------------------------------------

!define MUI_ABORTWARNING
!if /FileExists "${ICON}"
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!else
  !warning "No icon at ${ICON}: the installer gets NSIS's own (run python -m tools.icons)"
!endif

!insertmacro MUI_PAGE_WELCOME
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE DirectoryLeave
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TEXT "$(FinishText)"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the fallback when Windows speaks neither.
!insertmacro MUI_LANGUAGE "Dutch"
!insertmacro MUI_LANGUAGE "English"

LangString FinishText ${LANG_DUTCH} "Wijkkit staat nu in het Startmenu. Uw gegevens staan apart, in $LOCALAPPDATA\wijkkit, en de sleutel van uw database in $APPDATA\wijkkit of in Windows Referentiebeheer: verwijderen of bijwerken van Wijkkit laat ze staan."
LangString FinishText ${LANG_ENGLISH} "Wijkkit is now in the Start menu. Your data is kept apart, in $LOCALAPPDATA\wijkkit, and your database key in $APPDATA\wijkkit or in Windows Credential Manager: removing or updating Wijkkit leaves them in place."
LangString RunningText ${LANG_DUTCH} "Wijkkit is nog geopend (in $INSTDIR). Sluit Wijkkit en kies dan Opnieuw proberen, of kies Annuleren om te stoppen."
LangString RunningText ${LANG_ENGLISH} "Wijkkit is still open (in $INSTDIR). Close Wijkkit and choose Retry, or choose Cancel to stop."
LangString SyncBundleType ${LANG_DUTCH} "Wijkkit-synchronisatiebundel"
LangString SyncBundleType ${LANG_ENGLISH} "Wijkkit sync bundle"
LangString HubKeyType ${LANG_DUTCH} "Wijkkit-hubsleutel"
LangString HubKeyType ${LANG_ENGLISH} "Wijkkit hub key"
LangString UninstallDone ${LANG_DUTCH} "Wijkkit is verwijderd. Uw gegevens in $LOCALAPPDATA\wijkkit en de sleutel van uw database zijn blijven staan. Wilt u ook die weg, verwijder dan die map en in Windows Referentiebeheer de sleutels van Wijkkit."
LangString UninstallDone ${LANG_ENGLISH} "Wijkkit has been removed. Your data in $LOCALAPPDATA\wijkkit and your database key have been kept. To remove them too, delete that folder and Wijkkit's keys in Windows Credential Manager."

; ---- is Wijkkit running? --------------------------------------------------------------
; Windows keeps a running program's .exe open without write sharing: opening it for
; writing fails while either executable runs from this folder, and succeeds (changing
; nothing) when none does. This needs no plugin and no window class or mutex name that
; Qt or the app could change; copies running from elsewhere (a USB stick) do not matter.

!macro WIJKKIT_IN_USE un
Function ${un}InUse  ; leaves 1 on the stack when an executable in $INSTDIR is in use, else 0
  Push $0
  Push $1
  StrCpy $1 0
  ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
    ClearErrors
    FileOpen $0 "$INSTDIR\${APP_EXE}" a
    ${If} ${Errors}
      StrCpy $1 1
    ${Else}
      FileClose $0
    ${EndIf}
  ${EndIf}
  ${If} ${FileExists} "$INSTDIR\${CLI_EXE}"
    ClearErrors
    FileOpen $0 "$INSTDIR\${CLI_EXE}" a
    ${If} ${Errors}
      StrCpy $1 1
    ${Else}
      FileClose $0
    ${EndIf}
  ${EndIf}
  Pop $0
  Exch $1
FunctionEnd

Function ${un}RefuseWhileRunning  ; asks to close Wijkkit; Cancel (or /S) quits with exit code 2
  loop:
    Call ${un}InUse
    Pop $0
    ${If} $0 == 1
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(RunningText)" /SD IDCANCEL IDRETRY loop
      SetErrorLevel 2
      Quit
    ${EndIf}
FunctionEnd
!macroend
!insertmacro WIJKKIT_IN_USE ""
!insertmacro WIJKKIT_IN_USE "un."

Function .onInit
  SetShellVarContext current
  Call RefuseWhileRunning  ; an update over the installed copy ($INSTDIR from the registry or /D=)
FunctionEnd

Function DirectoryLeave
  Call RefuseWhileRunning  ; the folder chosen on the page
FunctionEnd

; ---- install --------------------------------------------------------------------------

!macro ASSOCIATE EXT PROGID DESCRIPTION
  WriteRegStr HKCU "Software\Classes\${EXT}" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}" ""
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "${DESCRIPTION}"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" '"$INSTDIR\${APP_EXE}",0'
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\${APP_EXE}" "%1"'
!macroend

!macro DISSOCIATE EXT PROGID
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  DeleteRegValue HKCU "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}"
  DeleteRegKey /ifempty HKCU "Software\Classes\${EXT}\OpenWithProgids"
  ReadRegStr $0 HKCU "Software\Classes\${EXT}" ""
  ${If} $0 == "${PROGID}"
    DeleteRegValue HKCU "Software\Classes\${EXT}" ""
  ${EndIf}
  DeleteRegKey /ifempty HKCU "Software\Classes\${EXT}"
!macroend

; SHCNE_ASSOCCHANGED, SHCNF_IDLIST: Explorer shows the new icons and "open with" at once.
!define NOTIFY_ASSOCIATIONS "System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'"

Section "Wijkkit" SecMain
  SectionIn RO
  Call RefuseWhileRunning  ; closed in the meantime? checked once more before a file is written
  SetOutPath "$INSTDIR"
  ; An update: the previous version's libraries go first, so no stale one is loaded.
  ${If} ${FileExists} "$INSTDIR\${UNINSTALLER}"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}
  File /r "${DIST}\*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  !insertmacro ASSOCIATE ".wijksync" "Wijkkit.SyncBundle" "$(SyncBundleType)"
  !insertmacro ASSOCIATE ".wijkhub" "Wijkkit.HubKey" "$(HubKeyType)"
  ${NOTIFY_ASSOCIATIONS}

  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" '"$INSTDIR\${APP_EXE}",0'
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

; ---- uninstall ------------------------------------------------------------------------

Function un.onInit
  SetShellVarContext current
  Call un.RefuseWhileRunning
FunctionEnd

Section "Uninstall"
  ; Only what the installer put here: a data folder someone made beside the program
  ; (wijkkit-data, portable mode) keeps the folder, and the data, in place.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"

  !insertmacro DISSOCIATE ".wijksync" "Wijkkit.SyncBundle"
  !insertmacro DISSOCIATE ".wijkhub" "Wijkkit.HubKey"
  ${NOTIFY_ASSOCIATIONS}
  DeleteRegKey HKCU "${UNINST_KEY}"
  DetailPrint "$(UninstallDone)"
SectionEnd
