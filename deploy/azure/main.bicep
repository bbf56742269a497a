// ShareSafe on Azure: the bot's container on Azure Container Apps (HTTPS only), Azure Cache for
// Redis (TLS only) shared by every replica, secrets in Key Vault, an Azure Bot (single tenant) with
// the Microsoft Teams channel, and optionally Log Analytics. Walk-through: docs/deploy.md.
//
//   az deployment group create -g <resource group> -f deploy/azure/main.bicep \
//     -p @deploy/azure/main.parameters.json -p botAppPassword="$APP_PASSWORD" -p recordKeys="$RECORD_KEY" -p chainKeys="$CHAIN_KEY"
//
// The Microsoft Entra app registration (APP_ID and its client secret) is made beforehand: an ARM
// deployment cannot create it. The deploying identity needs Contributor and User Access
// Administrator (or Owner) on the resource group, because the template grants the app's managed
// identity read access to its Key Vault secrets (and pull access to the registry, when named).

metadata description = 'ShareSafe Teams bot: Container Apps, Azure Cache for Redis, Key Vault, Azure Bot with the Teams channel'

@description('Azure region for everything except the Azure Bot (which is global). UK South keeps data in the UK.')
param location string = resourceGroup().location

@description('Short lower-case name (letters, digits, hyphens; 3-12 characters) that starts every resource name.')
@minLength(3)
@maxLength(12)
param namePrefix string = 'sharesafe'

@description('APP_ID: the application (client) id of the single-tenant Microsoft Entra app registration of the bot.')
@minLength(36)
@maxLength(36)
param botAppId string

@description('APP_TENANTID: the Microsoft Entra tenant the bot app registration lives in.')
param botTenantId string = tenant().tenantId

@description('APP_PASSWORD: a client secret of the bot app registration. Stored only in Key Vault.')
@secure()
param botAppPassword string

@description('SHARESAFE_RECORD_KEYS: the Fernet key(s), newest first and comma-separated, that encrypt decision records and conversations at rest (`python -m bot records new-key`). Required: the bot refuses to start without it. Stored only in Key Vault; keep a copy apart from the data. A redeployment writes this value into Key Vault again, so always pass the full current list.')
@secure()
param recordKeys string

@description('SHARESAFE_CHAIN_KEYS: the HMAC key(s), as id:key and newest first, that sign every decision record, the chain head and purge anchors (`python -m bot records new-chain-key`). Required: the bot refuses to start without it. Keep it from the store\'s administrators: whoever holds it can re-sign records. Stored only in Key Vault; always pass the full current list.')
@secure()
param chainKeys string

@description('SHARESAFE_METRICS_TOKEN: the bearer token a Prometheus scraper must send to GET /metrics. Empty: /metrics answers 404 (off). Stored only in Key Vault.')
@secure()
param metricsToken string = ''

@description('Firewall rules for the Redis cache\'s public endpoint, as [{"name": "...", "startIP": "...", "endIP": "..."}]. Empty: any address holding the access key can connect (TLS only). Container Apps\' outbound addresses: `az containerapp show -g <rg> -n <app> --query properties.outboundIpAddresses`; on a Consumption environment they can change, so a fixed egress (a workload-profiles environment with a NAT gateway) or a private endpoint is the lasting way. See docs/deploy.md.')
param redisFirewallRules array = []

@description('Container image to run, e.g. myregistry.azurecr.io/sharesafe:1.0.0 (built from deploy/docker/Dockerfile).')
param containerImage string

@description('Name of an Azure Container Registry in this resource group to pull the image from with the app\'s managed identity. Leave empty for a public image.')
param containerRegistryName string = ''

@description('Name shown for the bot in the Azure portal.')
param botDisplayName string = 'ShareSafe'

@description('Azure Bot pricing tier. Teams is a standard channel, so F0 (free) is enough.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Azure Cache for Redis tier. Premium is the only tier with AOF persistence (records survive a restart of both nodes); Standard is replicated but keeps data in memory only; Basic has one node and no SLA. See docs/deploy.md.')
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param redisSkuName string = 'Premium'

@description('Cache size within the tier: C0-C6 for Basic/Standard, P1-P5 for Premium.')
@minValue(0)
@maxValue(6)
param redisCapacity int = 1

@description('Turn on AOF persistence (Premium only; ignored on other tiers). Needs a storage account, which the template creates.')
param redisAofPersistence bool = true

@description('Fewest bot replicas. 1 is enough for a partnership; 2 or more survives a replica restart without a cold start.')
@minValue(1)
@maxValue(30)
param minReplicas int = 1

@description('Most bot replicas the HTTP scale rule may start.')
@minValue(1)
@maxValue(30)
param maxReplicas int = 10

@description('Concurrent HTTP requests per replica before another replica is started.')
@minValue(1)
param concurrentRequestsPerReplica int = 30

@description('CPU cores per replica (Container Apps pairs: 0.25/0.5Gi, 0.5/1Gi, 1/2Gi, ...).')
param containerCpu string = '0.5'

@description('Memory per replica.')
param containerMemory string = '1Gi'

@description('SHARESAFE_PACK: the policy pack to use (empty: the bot\'s default).')
param sharesafePack string = ''

@description('SHARESAFE_DIRECTORY contents: the YAML directory of organisations and DSLs. Mounted read-only at /config/directory.yaml. Empty: no directory. Pass with -p directoryYaml="$(cat directory.yaml)".')
@secure()
param directoryYaml string = ''

@description('CONVERSATION_IDLE_TTL: seconds an idle conversation is kept.')
@minValue(60)
param conversationIdleTtl int = 86400

@description('More settings for the bot, as NAME: value (e.g. {"SHARESAFE_ESCALATION_MINUTES": "10", "LOG_LEVEL": "INFO"}).')
param extraSettings object = {}

@description('More secret settings for the bot, as NAME: value (e.g. join codes, SHARESAFE_JOIN_CODE_<ORGANISATION>). Kept as Container Apps secrets. SHARESAFE_RECORD_KEYS and SHARESAFE_METRICS_TOKEN have parameters of their own (recordKeys, metricsToken).')
@secure()
param extraSecretSettings object = {}

@description('Send container logs to a new Log Analytics workspace. The bot never logs what a practitioner types.')
param enableLogAnalytics bool = true

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Tags for every resource.')
param tags object = {}

var suffix = uniqueString(resourceGroup().id, namePrefix)
var compactPrefix = toLower(replace(namePrefix, '-', ''))
var names = {
  identity: '${namePrefix}-identity'
  logs: '${namePrefix}-logs'
  environment: '${namePrefix}-env'
  app: '${namePrefix}-bot'
  bot: '${namePrefix}-bot-${suffix}'
  redis: '${namePrefix}-redis-${suffix}'
  vault: take('kv${compactPrefix}${suffix}', 24)
  storage: take('st${compactPrefix}${suffix}', 24)
}
var aofEnabled = redisAofPersistence && redisSkuName == 'Premium'
var useRegistry = !empty(containerRegistryName)
var useDirectory = !empty(directoryYaml)
var useMetricsToken = !empty(metricsToken)
var port = 3978
// Built-in role ids.
var keyVaultSecretsUserRole = '4633458b-17de-408a-b874-0445c86b69e6'
var acrPullRole = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

// --- identity the container app runs as (reads Key Vault secrets, pulls the image) ---------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.identity
  location: location
  tags: tags
}

// --- logs (optional) ---------------------------------------------------------------------------------

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = if (enableLogAnalytics) {
  name: names.logs
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

// --- Redis: TLS 1.2+ only, never evicts (records have no expiry; conversations must not vanish) ------

resource aofStorage 'Microsoft.Storage/storageAccounts@2023-05-01' = if (aofEnabled) {
  name: names.storage
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
  }
}

resource redis 'Microsoft.Cache/redis@2024-11-01' = {
  name: names.redis
  location: location
  tags: tags
  properties: {
    sku: {
      name: redisSkuName
      family: (redisSkuName == 'Premium') ? 'P' : 'C'
      capacity: redisCapacity
    }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    redisVersion: '6'
    redisConfiguration: aofEnabled ? {
      'maxmemory-policy': 'noeviction'
      'aof-backup-enabled': 'true'
      'aof-storage-connection-string-0': 'DefaultEndpointsProtocol=https;AccountName=${aofStorage.name};AccountKey=${aofStorage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
    } : {
      'maxmemory-policy': 'noeviction'
    }
  }
}

// publicNetworkAccess stays 'Enabled': 'Disabled' needs a private endpoint and a VNet-integrated
// Container Apps environment, which this template does not create. With no rules, the endpoint takes
// TLS connections from anywhere and the access key is the guard; with rules, only those addresses.
resource redisFirewall 'Microsoft.Cache/redis/firewallRules@2024-11-01' = [for rule in redisFirewallRules: {
  parent: redis
  name: rule.name
  properties: {
    startIP: rule.startIP
    endIP: rule.endIP
  }
}]

// --- Key Vault: the only place APP_PASSWORD, the Redis key, the record keys and metrics token live ---

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: names.vault
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource appPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'app-password'
  properties: {
    value: botAppPassword
    contentType: 'Client secret of the bot app registration (APP_PASSWORD)'
  }
}

resource redisUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'redis-url'
  properties: {
    // rediss:// (TLS) on the SSL port; the access key is URL-encoded because it may hold / + =.
    value: 'rediss://:${uriComponent(redis.listKeys().primaryKey)}@${redis.properties.hostName}:${redis.properties.sslPort}/0'
    contentType: 'REDIS_URL for the bot'
  }
}

resource recordKeysSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'record-keys'
  properties: {
    value: recordKeys
    contentType: 'SHARESAFE_RECORD_KEYS: Fernet keys, newest first, encrypting records at rest'
  }
}

resource chainKeysSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'chain-keys'
  properties: {
    value: chainKeys
    contentType: 'SHARESAFE_CHAIN_KEYS: HMAC keys, newest first, signing the decision record chain'
  }
}

resource metricsTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (useMetricsToken) {
  parent: vault
  name: 'metrics-token'
  properties: {
    value: metricsToken
    contentType: 'SHARESAFE_METRICS_TOKEN: bearer token for GET /metrics'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUserRole)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRole)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Only a name to scope the AcrPull grant to; nothing is looked up unless a registry is named.
resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: useRegistry ? containerRegistryName : 'none'
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (useRegistry) {
  name: guid(resourceGroup().id, containerRegistryName, identity.id, acrPullRole)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRole)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// --- the bot: stateless replicas behind Container Apps' HTTPS ingress, scaled on HTTP load ---------

resource containerEnv 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: names.environment
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: enableLogAnalytics ? {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    } : {
      destination: 'none'
    }
  }
}

var baseSecrets = [
  {
    name: 'app-password'
    keyVaultUrl: appPasswordSecret.properties.secretUri
    identity: identity.id
  }
  {
    name: 'redis-url'
    keyVaultUrl: redisUrlSecret.properties.secretUri
    identity: identity.id
  }
  {
    name: 'record-keys'
    keyVaultUrl: recordKeysSecret.properties.secretUri
    identity: identity.id
  }
  {
    name: 'chain-keys'
    keyVaultUrl: chainKeysSecret.properties.secretUri
    identity: identity.id
  }
]
var metricsSecrets = useMetricsToken ? [
  {
    name: 'metrics-token'
    keyVaultUrl: metricsTokenSecret.properties.secretUri
    identity: identity.id
  }
] : []
var directorySecrets = useDirectory ? [
  {
    name: 'directory-yaml'
    value: directoryYaml
  }
] : []

var baseEnv = [
  {
    name: 'APP_ID'
    value: botAppId
  }
  {
    name: 'APP_TYPE'
    value: 'SingleTenant'
  }
  {
    name: 'APP_TENANTID'
    value: botTenantId
  }
  {
    name: 'APP_PASSWORD'
    secretRef: 'app-password'
  }
  {
    name: 'REDIS_URL'
    secretRef: 'redis-url'
  }
  {
    name: 'SHARESAFE_ENV'
    value: 'production'
  }
  {
    name: 'SHARESAFE_RECORD_KEYS'
    secretRef: 'record-keys'
  }
  {
    name: 'SHARESAFE_CHAIN_KEYS'
    secretRef: 'chain-keys'
  }
  {
    // Only the bot's own tenant; the bot would default to APP_TENANTID anyway, this says so.
    name: 'SHARESAFE_ALLOWED_TENANTS'
    value: botTenantId
  }
  {
    name: 'CONVERSATION_IDLE_TTL'
    value: string(conversationIdleTtl)
  }
  {
    name: 'HOST'
    value: '0.0.0.0'
  }
  {
    name: 'PORT'
    value: string(port)
  }
]
// Optional settings are passed only when they have a value.
var optionalEnv = concat(empty(sharesafePack) ? [] : [
  {
    name: 'SHARESAFE_PACK'
    value: sharesafePack
  }
], useDirectory ? [
  {
    name: 'SHARESAFE_DIRECTORY'
    value: '/config/directory.yaml'
  }
] : [], useMetricsToken ? [
  {
    name: 'SHARESAFE_METRICS_TOKEN'
    secretRef: 'metrics-token'
  }
] : [])
var extraEnv = [for item in items(extraSettings): {
  name: item.key
  value: string(item.value)
}]
var extraSecretEnv = [for item in items(extraSecretSettings): {
  name: item.key
  secretRef: 'env-${toLower(replace(item.key, '_', '-'))}'
}]
var extraSecrets = [for item in items(extraSecretSettings): {
  name: 'env-${toLower(replace(item.key, '_', '-'))}'
  value: string(item.value)
}]

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: names.app
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    managedEnvironmentId: containerEnv.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: port
        transport: 'http'
        allowInsecure: false
        traffic: [
          {
            latestRevision: true
            weight: 100
          }
        ]
      }
      registries: useRegistry ? [
        {
          server: '${toLower(containerRegistryName)}${environment().suffixes.acrLoginServer}'
          identity: identity.id
        }
      ] : []
      secrets: concat(baseSecrets, metricsSecrets, directorySecrets, extraSecrets)
    }
    template: {
      containers: [
        {
          name: 'bot'
          image: containerImage
          resources: {
            cpu: json(containerCpu)
            memory: containerMemory
          }
          env: concat(baseEnv, optionalEnv, extraEnv, extraSecretEnv)
          volumeMounts: useDirectory ? [
            {
              volumeName: 'config'
              mountPath: '/config'
            }
          ] : []
          probes: [
            {
              type: 'Startup'
              httpGet: {
                path: '/healthz'
                port: port
              }
              periodSeconds: 5
              failureThreshold: 24
            }
            {
              type: 'Liveness'
              httpGet: {
                path: '/healthz'
                port: port
              }
              periodSeconds: 30
              failureThreshold: 3
            }
            {
              // /readyz checks the stores: a replica that cannot reach Redis gets no traffic.
              type: 'Readiness'
              httpGet: {
                path: '/readyz'
                port: port
              }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
        }
      ]
      volumes: useDirectory ? [
        {
          name: 'config'
          storageType: 'Secret'
          secrets: [
            {
              secretRef: 'directory-yaml'
              path: 'directory.yaml'
            }
          ]
        }
      ] : []
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'http-concurrency'
            http: {
              metadata: {
                concurrentRequests: string(concurrentRequestsPerReplica)
              }
            }
          }
        ]
      }
    }
  }
  dependsOn: [
    secretsUser
    acrPull
  ]
}

// --- Azure Bot: single tenant, messaging endpoint on the container app, Teams channel on -----------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: names.bot
  location: 'global'
  kind: 'azurebot'
  tags: tags
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${app.properties.configuration.ingress.fqdn}/api/messages'
    msaAppId: botAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: botTenantId
    // No Direct Line / Web Chat secrets: Teams is the only channel.
    disableLocalAuth: true
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

@description('The messaging endpoint the Azure Bot calls.')
output messagingEndpoint string = 'https://${app.properties.configuration.ingress.fqdn}/api/messages'

@description('BOT_DOMAIN for `python -m bot teams-package`.')
output botDomain string = app.properties.configuration.ingress.fqdn

@description('APP_ID for `python -m bot teams-package`.')
output appId string = botAppId

@description('Key Vault holding app-password, redis-url, record-keys (and metrics-token): rotate secrets here.')
output keyVaultName string = vault.name

@description('Redis host name.')
output redisHostName string = redis.properties.hostName

@description('What the chosen Redis tier means for records.')
output redisDurability string = aofEnabled ? 'Premium with AOF persistence: records survive a restart of both cache nodes (AOF is written at least once a second).' : 'WARNING: no AOF persistence (needs Premium). Records live in memory and on the replica only; take regular exports (see docs/deploy.md).'
