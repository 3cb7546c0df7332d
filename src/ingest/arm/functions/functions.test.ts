import { describe, expect, it } from "vitest";
import { expr, value } from "../../../../test/arm/harness.js";
import { isUnknown } from "../../../model/unknown.js";
import { functionNames } from "./index.js";

const PARAMS = {
  parameters: {
    name: { type: "string", defaultValue: "Web" },
    list: { type: "array", defaultValue: [1, 2, 3] },
    obj: { type: "object", defaultValue: { a: 1, b: { c: 2 } } },
    missing: { type: "string" },
  },
};

/** [expression, expected value] per function; each function of the table appears at least once. */
const CASES: [string, unknown][] = [
  // strings
  ["[toLower('AbC')]", "abc"],
  ["[toUpper('AbC')]", "ABC"],
  ["[trim('  x  ')]", "x"],
  ["[format('{0}-{1:D3}-{{x}}', 'a', 7)]", "a-007-{x}"],
  ["[format('{0,4}|{1,-3}|', 'ab', 'c')]", "  ab|c  |"],
  ["[startsWith('Microsoft.Network', 'microsoft')]", true],
  ["[endsWith('vnet-hub', 'HUB')]", true],
  ["[substring('abcdef', 2, 3)]", "cde"],
  ["[replace('a-b-c', '-', '/')]", "a/b/c"],
  ["[split('10.0.0.0/16', '/')]", ["10.0.0.0", "16"]],
  ["[split('a,b;c', createArray(',', ';'))]", ["a", "b", "c"]],
  ["[padLeft('7', 3, '0')]", "007"],
  ["[string(true)]", "True"],
  ["[string(createObject('a', 1))]", '{"a":1}'],
  ["[base64('hello')]", "aGVsbG8="],
  ["[base64ToString('aGVsbG8=')]", "hello"],
  ["[base64ToJson('eyJhIjoxfQ==')]", { a: 1 }],
  ["[dataUri('hi')]", "data:text/plain;charset=utf8;base64,aGk="],
  ["[dataUriToString('data:text/plain;charset=utf8;base64,aGk=')]", "hi"],
  ["[uri('https://example.com/a/b', 'c')]", "https://example.com/a/c"],
  ["[uriComponent('a b/c')]", "a%20b%2Fc"],
  ["[uriComponentToString('a%20b')]", "a b"],
  ["[json('{\"x\":[1,null]}')]", { x: [1, null] }],
  ["[uniqueString('test')]", "rbgf3xv4ufgzg"],
  ["[uniqueString('hello', 'world')]", "a7wkljktk6wne"],
  ["[dateTimeFromEpoch(0)]", "1970-01-01T00:00:00Z"],
  ["[dateTimeToEpoch('1970-01-02T00:00:00Z')]", 86400],
  // arrays, objects, both
  ["[array('x')]", ["x"]],
  ["[createArray(1, 'a')]", [1, "a"]],
  ["[createObject('k', 'v', 'n', 1)]", { k: "v", n: 1 }],
  ["[concat('a', 'b', 1)]", "ab1"],
  ["[concat(createArray(1), createArray(2, 3))]", [1, 2, 3]],
  ["[contains('abc', 'b')]", true],
  ["[contains(createArray('a', 'b'), 'c')]", false],
  ["[contains(parameters('obj'), 'A')]", true],
  ["[empty('')]", true],
  ["[empty(createObject())]", true],
  ["[length(parameters('list'))]", 3],
  ["[length(parameters('obj'))]", 2],
  ["[first(parameters('list'))]", 1],
  ["[last('abc')]", "c"],
  ["[skip(parameters('list'), 1)]", [2, 3]],
  ["[take('abcdef', 2)]", "ab"],
  ["[indexOf('abcABC', 'B')]", 1],
  ["[lastIndexOf('abcABC', 'b')]", 4],
  ["[indexOf(createArray('a', 'b'), 'b')]", 1],
  ["[join(createArray('a', 'b'), '-')]", "a-b"],
  ["[union(createArray(1, 2), createArray(2, 3))]", [1, 2, 3]],
  ["[union(parameters('obj'), createObject('b', createObject('d', 3)))]", { a: 1, b: { c: 2, d: 3 } }],
  ["[shallowMerge(createArray(createObject('a', 1), createObject('a', 2, 'b', 3)))]", { a: 2, b: 3 }],
  ["[intersection(createArray(1, 2, 3), createArray(2, 3, 4))]", [2, 3]],
  ["[intersection(createObject('a', 1, 'b', 2), createObject('a', 1, 'b', 3))]", { a: 1 }],
  [
    "[items(createObject('b', 2, 'a', 1))]",
    [
      { key: "a", value: 1 },
      { key: "b", value: 2 },
    ],
  ],
  ["[objectKeys(parameters('obj'))]", ["a", "b"]],
  ["[range(5, 3)]", [5, 6, 7]],
  ["[flatten(createArray(createArray(1), createArray(2, 3)))]", [1, 2, 3]],
  ["[coalesce(null(), null(), 'x')]", "x"],
  ["[null()]", null],
  ["[tryGet(parameters('obj'), 'b', 'c')]", 2],
  ["[tryGetProperty(parameters('obj'), 'z')]", null],
  // comparison, logic, numbers
  ["[equals(createArray(1, 2), createArray(1, 2))]", true],
  ["[equals('a', 'A')]", false],
  ["[greater(2, 1)]", true],
  ["[greaterOrEquals('a', 'b')]", false],
  ["[less(1, 2)]", true],
  ["[lessOrEquals(2, 2)]", true],
  ["[and(true, false)]", false],
  ["[or(false, true)]", true],
  ["[not(false)]", true],
  ["[bool('TRUE')]", true],
  ["[true()]", true],
  ["[false()]", false],
  ["[if(equals(1, 1), 'yes', 'no')]", "yes"],
  ["[add(2, 3)]", 5],
  ["[sub(2, 3)]", -1],
  ["[mul(4, 3)]", 12],
  ["[div(-7, 2)]", -3],
  ["[mod(7, 3)]", 1],
  ["[int('42')]", 42],
  ["[float('1.5')]", 1.5],
  ["[min(parameters('list'))]", 1],
  ["[max(4, 9, 2)]", 9],
  // CIDR
  [
    "[parseCidr('10.144.0.0/20')]",
    {
      network: "10.144.0.0",
      netmask: "255.255.240.0",
      broadcast: "10.144.15.255",
      firstUsable: "10.144.0.1",
      lastUsable: "10.144.15.254",
      cidr: 20,
    },
  ],
  ["[cidrSubnet('10.144.0.0/20', 24, 3)]", "10.144.3.0/24"],
  ["[cidrHost('10.144.3.0/24', 0)]", "10.144.3.1"],
  // deployment and resources
  ["[parameters('NAME')]", "Web"],
  [
    "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]",
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resourceGroup/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
  ],
  [
    "[resourceId('other-rg', 'Microsoft.Network/routeTables', 'rt')]",
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/other-rg/providers/Microsoft.Network/routeTables/rt",
  ],
  [
    "[resourceId('sub', 'rg', 'Microsoft.Network/routeTables', 'rt')]",
    "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt",
  ],
  [
    "[subscriptionResourceId('Microsoft.Network/ddosProtectionPlans', 'p')]",
    "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Network/ddosProtectionPlans/p",
  ],
  [
    "[tenantResourceId('Microsoft.Management/managementGroups', 'mg')]",
    "/providers/Microsoft.Management/managementGroups/mg",
  ],
  [
    "[managementGroupResourceId('mg', 'Microsoft.Authorization/policyDefinitions', 'p')]",
    "/providers/Microsoft.Management/managementGroups/mg/providers/Microsoft.Authorization/policyDefinitions/p",
  ],
  [
    "[extensionResourceId('/x/y', 'Microsoft.Authorization/locks', 'l')]",
    "/x/y/providers/Microsoft.Authorization/locks/l",
  ],
  ["[resourceGroup().name]", "resourceGroup"],
  ["[subscription().subscriptionId]", "00000000-0000-0000-0000-000000000000"],
  ["[tenant().tenantId]", "00000000-0000-0000-0000-000000000000"],
  ["[managementGroup().name]", "managementGroup"],
  ["[deployment().name]", "t"],
  ["[environment().name]", "AzureCloud"],
  // lambdas
  ["[filter(parameters('list'), lambda('x', greater(lambdaVariables('x'), 1)))]", [2, 3]],
  ["[map(parameters('list'), lambda('x', mul(lambdaVariables('x'), 10)))]", [10, 20, 30]],
  ["[reduce(parameters('list'), 0, lambda('acc', 'x', add(lambdaVariables('acc'), lambdaVariables('x'))))]", 6],
  ["[sort(createArray(3, 1, 2), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]", [1, 2, 3]],
  ["[toObject(createArray('a', 'b'), lambda('x', lambdaVariables('x')), lambda('x', 1))]", { a: 1, b: 1 }],
  ["[mapValues(createObject('a', 1), lambda('v', add(lambdaVariables('v'), 1)))]", { a: 2 }],
  ["[groupBy(createArray('ab', 'ac', 'b'), lambda('x', first(lambdaVariables('x'))))]", { a: ["ab", "ac"], b: ["b"] }],
];

describe("ARM function extraction", () => {
  it.each(CASES)("%s", (text, expected) => {
    expect(value(text, PARAMS)).toEqual(expected);
  });

  it("every function in the table has a case here (guid, reference, variables and copyIndex are tested on their own)", () => {
    const tested = new Set(
      CASES.flatMap(([text]) => [...text.matchAll(/([A-Za-z0-9]+)\(/g)].map((m) => m[1]!.toLowerCase())),
    );
    const live = [
      "guid",
      "newguid",
      "utcnow",
      "datetimeadd",
      "pickzones",
      "providers",
      "reference",
      "resourceinfo",
      "variables",
      "copyindex",
    ];
    const untested = functionNames().filter((n) => !tested.has(n) && !live.includes(n) && !n.startsWith("list"));
    expect(untested).toEqual([]);
  });

  it("guid conversion is a version-5 UUID, stable for the same arguments", () => {
    const a = value("[guid('sub', 'rg')]");
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(value("[guid('sub', 'rg')]")).toBe(a);
    expect(value("[guid('sub', 'rg2')]")).not.toBe(a);
  });
});

describe("ARM function conversion of Unknown values", () => {
  it("string building keeps the placeholder so that names still match", () => {
    const { value: v } = expr("[toUpper(format('nsg-{0}', parameters('missing')))]", PARAMS);
    expect(v).toBe("NSG-<unknown: parameters('missing')>");
  });

  it("a comparison with an Unknown value is Unknown, not false", () => {
    expect(isUnknown(expr("[equals(parameters('missing'), 'x')]", PARAMS).value)).toBe(true);
    expect(isUnknown(expr("[length(parameters('missing'))]", PARAMS).value)).toBe(true);
  });

  it("or/and decide when a known argument decides", () => {
    expect(expr("[or(equals(parameters('missing'), 'x'), true())]", PARAMS).value).toBe(true);
    expect(expr("[and(equals(parameters('missing'), 'x'), false())]", PARAMS).value).toBe(false);
  });

  it("if with an Unknown condition is Unknown; if evaluates only the branch it takes", () => {
    expect(isUnknown(expr("[if(equals(parameters('missing'), 'x'), 1, 2)]", PARAMS).value)).toBe(true);
    expect(value("[if(true(), 'ok', div(1, 0))]")).toBe("ok");
  });
});

describe("ARM function warns", () => {
  it("a live-state function gives a warning and a named Unknown", () => {
    const { value: v, diagnostics } = expr("[listKeys('x', '2020-01-01').keys[0].value]");
    expect(isUnknown(v)).toBe(true);
    expect(diagnostics.map((d) => d.code)).toEqual(["arm/unsupported-function"]);
  });

  it.each([
    ["[noSuchFunction(1)]", "arm/unknown-function"],
    ["[substring('abc', 2, 5)]", "arm/invalid-expression"],
    ["[div(1, 0)]", "arm/invalid-expression"],
    ["[concat('a']", "arm/invalid-expression"],
    ["[parameters('nope')]", "arm/undeclared-parameter"],
    ["[variables('nope')]", "arm/undeclared-variable"],
    ["[createObject('a').b]", "arm/invalid-expression"],
    ["[range(0, 100000)]", "arm/limit"],
    ["[copyIndex()]", "arm/invalid-expression"],
  ])("%s is an error (%s) and the value is Unknown", (text, code) => {
    const { value: v, diagnostics } = expr(text, PARAMS);
    expect(isUnknown(v)).toBe(true);
    expect(diagnostics.map((d) => [d.severity, d.code])).toEqual([["error", code]]);
  });
});
