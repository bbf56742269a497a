/* The team tab's configuration page: nothing to choose, so it saves the DSL overview at once.
   Access is still decided by the server for each viewer, never by who added the tab. */
"use strict";
document.addEventListener("DOMContentLoaded", async () => {
  const teams = window.microsoftTeams;
  try {
    await teams.app.initialize();
    teams.pages.config.registerOnSaveHandler((save) => {
      teams.pages.config.setConfig({
        entityId: "dsl-overview",
        contentUrl: location.origin + "/tab/",
        websiteUrl: location.origin + "/tab/",
        suggestedDisplayName: "DSL overview",
      }).then(() => save.notifySuccess(), (error) => save.notifyFailure(String(error)));
    });
    teams.pages.config.setValidityState(true);
    document.getElementById("status").textContent = "Select Save to add the tab.";
  } catch (error) {
    document.getElementById("status").textContent = "Open this page from Microsoft Teams to add the tab.";
  }
});
