/*
 * campaign_schema.h - the campaign XML Schema compiled into vtlab.
 *
 * campaign_schema.c is GENERATED from campaigns/campaign.xsd by
 * scripts/text-to-c.sh (`make cli/campaign_schema.c`) and checked in;
 * cli/tests/test_campaign.c checks that it is current.
 */
#ifndef CLI_CAMPAIGN_SCHEMA_H
#define CLI_CAMPAIGN_SCHEMA_H

extern const char campaign_campaign_xsd[];

#endif
