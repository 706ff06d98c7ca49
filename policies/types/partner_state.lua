---@meta
-- The partner state as policies read it (the `state` of check, alerts and decide), for
-- editors with lua-language-server.
--
-- GENERATED from schemas/partner-state.schema.json by tools/luacats: do not edit.
-- Change the schema, then run cmake --build build --target luacats (ctest fails while this
-- file is out of date).

---Partner state: One Microsoft AI Cloud Partner Program partner's state on a given day, as read by
---partnerpolicy (see docs/state-format.md). Uses only keywords that mean the same in draft 7 and
---2020-12: the host validates with valijson (draft 7), CI with Draft202012Validator. References
---between entities are by id; the host checks them after schema validation.
---@class PartnerState
---@field as_of Date? The day the state describes; the default evaluation date.
---@field partner Partner The partner organisation, its program and vetting status, its membership.
---@field billing_accounts BillingAccount[] MCA billing accounts and the tenants associated with each.
---@field tenants Tenant[] Microsoft Entra tenants of the partner.
---@field users User[] Users (and service principals) of the partner.
---@field benefit_packages BenefitPackage[] Benefit packages, one per offer or designation purchase.
---@field credits Credit[] Azure credits, monthly or bulk.
---@field cloud_benefits CloudBenefit[] Seat-based cloud benefits (Microsoft 365 E3, Dynamics 365, Copilot ...).
---@field subscriptions Subscription[] Cloud product subscriptions created by redeeming cloud benefits.
---@field azure_subscriptions AzureSubscription[] Azure subscriptions: sponsorships created by redeeming credits, and pay-as-you-go ones.
---@field partner_id_links PartnerIdLink[] Partner-ID links of managing accounts to customer subscriptions (partner earned credit).
-- PartnerState["$schema"] is not declared: "$schema" is no Lua name.

---Id: A stable identifier, unique within its collection; also used to reference an entity of
---another collection.
---@alias Id string

---Date: A calendar date YYYY-MM-DD (RFC 3339 full-date): no time, no zone.
---@alias Date string

---Name: A human-readable name.
---@alias Name string

---E-mail address: A sign-in e-mail address local@domain; the host checks the @ and the domain
---itself.
---@alias Email string

---Country code: An ISO 3166-1 alpha-2 country/region code, e.g. US, DE.
---@alias CountryCode string

---Count: A whole number of licenses, appeals or similar, zero or more.
---@alias Count integer

---Amount: A money amount, zero or more.
---@alias Amount number

---Partner: The partner organisation, its program and vetting status, its membership.
---@class Partner
---@field id Id Partner id; also the Associated Partner ID when associated_partner_id is absent.
---@field associated_partner_id Id? The Associated Partner ID shown on the partner profile: the ID to link for recognition and partner earned credit. Absent: partner.id is that ID.
---@field name Name Organisation name.
---@field country CountryCode Country/region of the partner's legal entity.
---@field program_status PartnerProgramStatus Microsoft AI Cloud Partner Program status (Legal Info page).
---@field vetting_status PartnerVettingStatus Verification (vetting) status.
---@field vetting_submitted_on Date? When verification started (for the 5-business-day SLA).
---@field verification_banner boolean? An "Action required" / "Fix now" verification banner is shown. (default false)
---@field appeals_used integer? Appeals already filed against a rejected verification. (default 0)
---@field modernized_redemption_since Date? Day the modernized ($0 checkout) redemption went live for the partner's country/region; absent = not yet.
---@field membership Membership The current program membership.

---Membership: The partner's current Microsoft AI Cloud Partner Program membership.
---@class Membership
---@field offer Name Membership offer, e.g. "Microsoft AI Cloud Partner Program Action Pack".
---@field purchased_on Date Day the membership was bought or renewed.
---@field start Date First day of the membership year.
---@field end Date Last day of the membership year; modernized subscriptions end on it.
---@field payment MembershipPayment? How the membership was paid (a card purchase delays benefits by four days).

---Billing account: A Microsoft Customer Agreement (MCA) billing account.
---@class BillingAccount
---@field id Id Billing account id.
---@field name Name Billing account name.
---@field purchase_account boolean True for the MCA billing account used to buy the membership.
---@field associated_tenants AssociatedTenant[] Tenants associated with this billing account.

---Associated tenant: A tenant associated with a billing account, and what the association allows.
---@class AssociatedTenant
---@field tenant Id Tenant id (references tenants[].id).
---@field billing_management boolean Billing management is enabled for the association (required to redeem modernized benefits on the tenant).
---@field provisioning boolean Provisioning is enabled for the association (recommended).

---Tenant: A Microsoft Entra tenant of the partner.
---@class Tenant
---@field id Id Tenant id.
---@field domain string Primary domain, e.g. contoso.onmicrosoft.com.
---@field managing boolean? The partner's managing tenant for Azure Lighthouse / partner earned credit. (default false)

---User: A user or service principal of the partner, with its roles.
---@class User
---@field id Id User id.
---@field email Email Sign-in e-mail address (local@domain).
---@field name Name? Display name.
---@field tenant Id Home tenant id (references tenants[].id).
---@field partner_center_roles UserPartnerCenterRole[] Partner Center roles held by the user.
---@field billing_roles BillingRole[] Billing roles held by the user on MCA billing accounts.
---@field usage_location CountryCode? Usage location (needed to assign a license); absent = not set.
---@field service_principal boolean? True for an automation account (service principal). (default false)

---Billing role: A billing role on one MCA billing account.
---@class BillingRole
---@field billing_account Id Billing account id (references billing_accounts[].id).
---@field role BillingRoleRole The role held on the billing account.

---Benefit package: The benefits awarded by one offer or designation purchase.
---@class BenefitPackage
---@field id Id Benefit package id.
---@field name Name Package name as shown in Partner Center.
---@field membership_offer Name The offer or designation that awarded the package.
---@field purchased_on Date Day the offer was bought.
---@field activated_on Date? Day the package was activated; absent = not yet.

---Azure credit: An Azure credit (monthly or bulk) and its assignment history.
---@class Credit
---@field id Id Credit id.
---@field name Name? Display name, e.g. "Azure monthly credit $100".
---@field kind CreditKind monthly: an amount each month for 13 months from activation; bulk: one amount per benefit year.
---@field package Id Benefit package id the credit belongs to (references benefit_packages[].id).
---@field amount Amount Amount per month (monthly) or once per benefit year (bulk).
---@field currency string? ISO 4217 currency code of amount and balance. (default "USD")
---@field status CreditStatus Partner Center status of the credit.
---@field awarded_on Date When the credit became available to activate (starts the 90-day activation window).
---@field activated_on Date? Benefit activation (starts the 13-month validity of monthly credits); absent = not activated.
---@field start Date? First day the credit can be consumed (bulk: start of the benefit year).
---@field end Date? Last day the credit can be consumed (bulk: end of the benefit year).
---@field balance Amount? Unconsumed amount: this month's for a monthly credit, the total for a bulk credit.
---@field azure_subscription Id? The sponsorship subscription the credit is redeemed on (references azure_subscriptions[].id).
---@field assignments CreditAssignment[] Assignment history, oldest first. The assigned user is the user of the last assigned event not followed by a removed event.

---Credit assignment event: One event in a credit's assignment history.
---@class CreditAssignment
---@field event CreditAssignmentEvent assigned: the user was assigned the credit; removed: the user was removed from it.
---@field user Id User id (references users[].id).
---@field on Date Day of the event.

---Cloud benefit: A seat-based cloud benefit and its redemption.
---@class CloudBenefit
---@field id Id Cloud benefit id.
---@field product Name Product, e.g. "Microsoft 365 E3", "Copilot for Microsoft 365", "Copilot for Sales".
---@field package Id Benefit package id (references benefit_packages[].id).
---@field licenses Count Seats granted.
---@field redemption CloudBenefitRedemption keyless: modernized $0 checkout; product_key: 5x5 product key.
---@field billing_account Id? MCA billing account the benefit is bound to, for keyless redemption (references billing_accounts[].id).
---@field activate_by Date? Last day to activate the benefit.
---@field status CloudBenefitStatus Redemption status of the benefit.
---@field redeemed_on Date? Day the benefit was redeemed.
---@field redeemed_by Id? User who completed the $0 checkout or key redemption (references users[].id).
---@field tenant Id? Tenant the benefit was redeemed on (references tenants[].id).
---@field subscription Id? Subscription the redemption created (references subscriptions[].id).
---@field product_keys ProductKey[]? Product keys issued for the benefit (product_key redemption).

---Product key: A 5x5 product key issued for a cloud benefit.
---@class ProductKey
---@field key string The key, e.g. AAAA1-BBBB2-CCCC3-DDDD4-EEEE5.
---@field licenses Count Licenses the key grants.
---@field redeemed_on Date? Day the key was redeemed; absent = not redeemed.

---Subscription: A cloud product subscription created by redeeming a cloud benefit.
---@class Subscription
---@field id Id Subscription id.
---@field product Name Product of the subscription.
---@field benefit Id? Cloud benefit that created the subscription (references cloud_benefits[].id).
---@field tenant Id Tenant the subscription lives in (references tenants[].id).
---@field model SubscriptionModel How it was created: modernized subscriptions end with the membership; product_key ones are extended with keys.
---@field status SubscriptionStatus Subscription status.
---@field active_licenses Count Active licenses (A in the extension formula).
---@field assigned_licenses Count Licenses assigned to users.
---@field end Date Subscription end date.
---@field key_redemptions KeyRedemption[]? Product key redemption history, oldest first.
---@field assigned_users Id[]? Ids of the users holding a license (references users[].id).

---Key redemption: One product key redeemed on a subscription.
---@class KeyRedemption
---@field key string The product key redeemed.
---@field licenses Count Licenses of the key (K in the extension formula).
---@field use KeyRedemptionUse activate: create the subscription; extend: extend its end date; add_licenses: add seats.
---@field active_licenses_before Count Active licenses just before the redemption (A in the extension formula).
---@field on Date Day of the redemption.

---Azure subscription: An Azure subscription: a sponsorship created by redeeming a credit, or
---pay-as-you-go.
---@class AzureSubscription
---@field id Id Azure subscription id.
---@field name Name? Display name.
---@field tenant Id Tenant the subscription belongs to (references tenants[].id).
---@field type AzureSubscriptionType sponsorship: created by redeeming a credit; pay_as_you_go: an ordinary paid subscription.
---@field created_on Date Day the subscription was created.
---@field credit Id? Credit redeemed on the subscription (references credits[].id).

---Partner-ID link: A partner ID linked to a managing account for a customer's subscriptions
---(recognition and partner earned credit).
---@class PartnerIdLink
---@field id Id Link id.
---@field partner_id Id Associated Partner ID that is linked.
---@field account Id Linked user or service principal in the managing tenant (references users[].id).
---@field customer Name Customer name or tenant.
---@field customer_signed_mca boolean The customer signed the Microsoft Customer Agreement.
---@field customer_on_azure_plan boolean The customer is on the Azure plan.
---@field onboarded_subscriptions OnboardedSubscription[] Customer subscriptions onboarded for management.

---Onboarded subscription: A customer subscription the linked account manages through an Azure
---Lighthouse delegation (an authorization in the onboarding template or Managed Service offer), and
---how it was granted access.
---@class OnboardedSubscription
---@field subscription Name Customer subscription name or id (not a reference to this file's entities).
---@field account_has_access boolean The linked account has access to the subscription.
---@field role Name Azure built-in role granted: its name (any case, e.g. Contributor), its role definition ID (a GUID), or a role definition path (/providers/Microsoft.Authorization/roleDefinitions/<GUID>, optionally under a scope). Whether it is eligible for PEC comes from policies/lib/azure_roles.lua.
---@field pec_eligible_role boolean? Optional record of whether the role is eligible for partner earned credit; the role table decides, and a value that disagrees with it is reported.
---@field assignment OnboardedSubscriptionAssignment permanent: a standing assignment; eligible: a just-in-time eligible authorization (no PEC).

---Microsoft AI Cloud Partner Program status (Legal Info page).
---@alias PartnerProgramStatus
---| "active"
---| "pending"
---| "inactive"

---Verification (vetting) status.
---@alias PartnerVettingStatus
---| "authorized"
---| "pending"
---| "in_progress"
---| "rejected"
---| "challenged"

---How the membership was paid (a card purchase delays benefits by four days).
---@alias MembershipPayment
---| "card"
---| "invoice"

---A Partner Center role; partner_admin is the Microsoft AI Cloud Partner Program partner admin.
---@alias UserPartnerCenterRole
---| "partner_admin"
---| "global_admin"
---| "user_admin"
---| "account_admin"
---| "billing_admin"
---| "referrals_admin"
---| "incentives_admin"

---The role held on the billing account.
---@alias BillingRoleRole
---| "billing_account_owner"
---| "billing_account_contributor"
---| "billing_account_reader"
---| "billing_profile_owner"
---| "billing_profile_contributor"
---| "invoice_manager"

---monthly: an amount each month for 13 months from activation; bulk: one amount per benefit year.
---@alias CreditKind
---| "monthly"
---| "bulk"

---Partner Center status of the credit.
---@alias CreditStatus
---| "not_redeemed"
---| "redeemed"
---| "active"
---| "expired"

---assigned: the user was assigned the credit; removed: the user was removed from it.
---@alias CreditAssignmentEvent
---| "assigned"
---| "removed"

---keyless: modernized $0 checkout; product_key: 5x5 product key.
---@alias CloudBenefitRedemption
---| "keyless"
---| "product_key"

---Redemption status of the benefit.
---@alias CloudBenefitStatus
---| "available"
---| "redeemed"
---| "expired"

---How it was created: modernized subscriptions end with the membership; product_key ones are
---extended with keys.
---@alias SubscriptionModel
---| "modernized"
---| "product_key"

---Subscription status.
---@alias SubscriptionStatus
---| "active"
---| "disabled"
---| "expired"

---activate: create the subscription; extend: extend its end date; add_licenses: add seats.
---@alias KeyRedemptionUse
---| "activate"
---| "extend"
---| "add_licenses"

---sponsorship: created by redeeming a credit; pay_as_you_go: an ordinary paid subscription.
---@alias AzureSubscriptionType
---| "sponsorship"
---| "pay_as_you_go"

---permanent: a standing assignment; eligible: a just-in-time eligible authorization (no PEC).
---@alias OnboardedSubscriptionAssignment
---| "permanent"
---| "eligible"
