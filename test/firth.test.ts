/**
 * Tests of Firth's penalised-likelihood logistic regression (src/model/firth.ts, firth-profile.ts)
 * against R's logistf as published, and against hand-derived closed forms:
 * - logistf's documentation example `logistf(case ~ age + oc + vic + vicl + vis + dia, data =
 *   sex2)`: data decoded from logistf 1.26.1's data/sex2.rda and data/sexagg.rda (CRAN, github
 *   cran/logistf); printed values from (a) the logistf comparison in firthlogist's test suite
 *   (github jzluo/firthlogist, firthlogist/tests/test_firthlogist.py, fixture `sex2`:
 *   coefficients and profile intervals), (b) the logistf snapshot of easystats' parameters
 *   (github easystats/parameters, tests/testthat/_snaps/windows/model_parameters.logistf.md:
 *   SE, Chi2(1), p), (c) firthlogist's README summary (SE from (X'WX)⁻¹, logistf < 1.24's), and
 *   (d) logistf's own tests (github georgheinze/logistf, tests/testthat/test-basic.R) and
 *   projectglow/glow's python/glow/gwas/tests/test_approx_firth.py (offset and no-intercept fits,
 *   data test-data/r/sex2withoffset.txt), both printed by logistf <= 1.23.
 * - The endometrial cancer data of Heinze & Schemper (2002), Stat Med 21:2409, as distributed with
 *   firthlogist (firthlogist/datasets/endometrial.csv) with logistf's estimates and intervals
 *   (firthlogist/tests/test_firthlogist.py, fixture `endometrial`).
 * - Quasi-separated data of firthmodels' tests (github jzluo/firthmodels, tests/conftest.py
 *   `make_separation_data(seed=42)`, generated once with numpy and embedded below) with
 *   logistf's coefficients, SEs, penalised LR P values and profile intervals to 10 digits
 *   (tests/test_logistic.py, `test_matches_logistf_with_separation`).
 * Tolerances of published values are half a unit of their last printed digit (plus 1e-9).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fitFirth, fitFirthCoefficients } from "../src/model/firth.js";
import { fitFirthLogistic } from "../src/model/firth-profile.js";
import { fitLogistic } from "../src/model/logistic.js";
import { checkSeparation } from "../src/model/separation-lp.js";

/** Convergence limits far below logistf's 1e-5, for comparisons with closed forms. */
const TIGHT = { xconv: 1e-12, gconv: 1e-12, lconv: 1e-12 };

/** |got − printed| within half a unit of the printed value's last decimal (+ 1e-9). */
function printed(got: number, text: string, what: string): void {
  const decimals = text.includes(".") ? text.split(".")[1]!.replace(/e.*$/i, "").length : 0;
  const tol = 0.5 * 10 ** -decimals + 1e-9;
  const want = Number(text);
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, logistf printed ${text}`);
}

function near(got: number, want: number, tol: number, what: string): void {
  assert.ok(
    Math.abs(got - want) <= tol,
    `${what}: got ${got}, want ${want} (difference ${got - want}, tolerance ${tol})`,
  );
}

/** logistf 1.26.1 data(sex2), one 0/1 string per column, the 239 rows in the package's order. */
const SEX2: Record<string, string> = {
  case: "11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111110000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
  age: "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000111111111111110000000000000000000000000000000000000000000000000000000000000000000000000000000000000111111111111111111111111",
  oc: "00000000000000000000000000000000000000000111111111111111111111111111111111111111111111111111111111111111111111111111000000111111110000000000000000000000000000001111111111111111111111111111111111111111111111111111111000000111111111111111111",
  vic: "01111111111111111111111111111111111111111000000000000000000000000000000000000000000000001111111111111111111111111111111111000001110111111111111111111111111111110000000000000000000000000000000000000000000111111111111111111000000000000000111",
  vicl: "00000000000000000011111111111111111111111000000000000000000000000000000000000000000000000000000000000000001111111111000011000000000000111111111111111111111111110000000000000000000000000000000000000000000011111111111111111000000000000000011",
  vis: "10000000000000011100000000001111111111111000000000000000000000000000000000000000000000000000000000000000110000000111001101000000001001000000001111111111111111110000000000000000000000000000000000000000001000000111111001111000000000000001011",
  dia: "00000000000000000000000000000000000000001000000000000000000000000000000000000000000001110000000000000001000000000000000101000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
};
/** The offset column of glow's test-data/r/sex2withoffset.txt (sex2 in the same row order). */
const SEX2_OFFSET =
  "10111101110001011101100010011111111011111101110000010010000100000011111000000110111001111001101001000101010001101000000101111111101100111110110100101100010110110100001011001011100101001110101011101110010100010100101110010001100010011001110";
const SEX2_TERMS = ["age", "oc", "vic", "vicl", "vis", "dia"];

function sex2(): { X: number[][]; y: number[] } {
  const n = SEX2["case"]!.length;
  const X = Array.from({ length: n }, (_, i) => SEX2_TERMS.map((v) => Number(SEX2[v]![i])));
  const y = Array.from({ length: n }, (_, i) => Number(SEX2["case"]![i]));
  return { X, y };
}

/** logistf 1.26.1 data(sexagg): case, age, oc, vic, vicl, vis, dia, COUNT. */
const SEXAGG = [
  [0, 0, 0, 0, 0, 1, 0, 1],
  [0, 0, 0, 1, 0, 0, 0, 2],
  [0, 0, 0, 1, 0, 1, 0, 1],
  [0, 0, 0, 1, 1, 0, 0, 8],
  [0, 0, 0, 1, 1, 1, 0, 18],
  [0, 0, 1, 0, 0, 0, 0, 42],
  [0, 0, 1, 0, 0, 1, 0, 1],
  [0, 0, 1, 1, 0, 0, 0, 1],
  [0, 0, 1, 1, 1, 0, 0, 5],
  [0, 0, 1, 1, 1, 1, 0, 6],
  [0, 1, 0, 1, 1, 0, 0, 2],
  [0, 1, 0, 1, 1, 1, 0, 4],
  [0, 1, 1, 0, 0, 0, 0, 14],
  [0, 1, 1, 0, 0, 1, 0, 1],
  [0, 1, 1, 1, 0, 0, 0, 1],
  [0, 1, 1, 1, 1, 1, 0, 2],
  [1, 0, 0, 0, 0, 1, 0, 1],
  [1, 0, 0, 1, 0, 0, 0, 14],
  [1, 0, 0, 1, 0, 1, 0, 3],
  [1, 0, 0, 1, 1, 0, 0, 10],
  [1, 0, 0, 1, 1, 1, 0, 12],
  [1, 0, 0, 1, 1, 1, 1, 1],
  [1, 0, 1, 0, 0, 0, 0, 44],
  [1, 0, 1, 0, 0, 0, 1, 3],
  [1, 0, 1, 1, 0, 0, 0, 15],
  [1, 0, 1, 1, 0, 0, 1, 1],
  [1, 0, 1, 1, 0, 1, 0, 2],
  [1, 0, 1, 1, 1, 0, 0, 7],
  [1, 0, 1, 1, 1, 1, 0, 3],
  [1, 1, 0, 1, 0, 0, 0, 2],
  [1, 1, 0, 1, 0, 1, 0, 1],
  [1, 1, 0, 1, 0, 1, 1, 1],
  [1, 1, 0, 1, 1, 0, 0, 1],
  [1, 1, 0, 1, 1, 1, 1, 1],
  [1, 1, 1, 0, 0, 0, 0, 5],
  [1, 1, 1, 1, 0, 0, 0, 3],
];

/** Heinze & Schemper (2002)'s endometrial data (firthlogist's endometrial.csv): NV, PI, EH, HG. */
const ENDOMETRIAL = [
  [0, 13, 1.64, 0],
  [0, 16, 2.26, 0],
  [0, 8, 3.14, 0],
  [0, 34, 2.68, 0],
  [0, 20, 1.28, 0],
  [0, 5, 2.31, 0],
  [0, 17, 1.8, 0],
  [0, 10, 1.68, 0],
  [0, 26, 1.56, 0],
  [0, 17, 2.31, 0],
  [0, 8, 2.01, 0],
  [0, 7, 1.89, 0],
  [0, 20, 3.15, 0],
  [0, 10, 1.23, 0],
  [0, 18, 1.27, 0],
  [0, 16, 1.76, 0],
  [0, 18, 2, 0],
  [0, 8, 2.64, 1],
  [0, 29, 0.88, 1],
  [0, 12, 1.27, 1],
  [0, 20, 1.37, 1],
  [1, 38, 0.97, 1],
  [1, 22, 1.14, 1],
  [1, 7, 0.88, 1],
  [1, 25, 0.91, 1],
  [1, 15, 0.58, 1],
  [0, 7, 0.97, 1],
  [0, 28, 1.5, 0],
  [0, 11, 1.33, 0],
  [0, 19, 2.37, 0],
  [0, 10, 1.82, 0],
  [0, 10, 3.13, 0],
  [0, 18, 1.31, 0],
  [0, 14, 1.92, 0],
  [0, 21, 1.64, 0],
  [0, 11, 2.01, 0],
  [0, 17, 1.88, 0],
  [0, 25, 1.93, 0],
  [0, 16, 2.11, 0],
  [0, 19, 1.29, 0],
  [0, 15, 1.72, 0],
  [0, 33, 0.75, 0],
  [0, 24, 1.92, 0],
  [0, 48, 1.84, 1],
  [0, 12, 1.11, 1],
  [0, 19, 1.61, 1],
  [0, 2, 1.18, 1],
  [1, 22, 1.44, 1],
  [1, 40, 1.18, 1],
  [1, 5, 0.93, 1],
  [1, 0, 1.17, 1],
  [0, 21, 1.19, 1],
  [0, 15, 1.06, 1],
  [0, 29, 2.02, 0],
  [0, 15, 2.29, 0],
  [0, 12, 2.33, 0],
  [0, 3, 2.9, 0],
  [0, 20, 1.7, 0],
  [0, 23, 1.41, 0],
  [0, 12, 2.25, 0],
  [0, 22, 1.54, 0],
  [0, 42, 1.97, 0],
  [0, 15, 1.75, 0],
  [0, 13, 2.16, 0],
  [0, 14, 2.57, 0],
  [0, 19, 1.37, 0],
  [0, 12, 3.61, 0],
  [0, 13, 2.04, 0],
  [0, 10, 2.17, 0],
  [0, 12, 1.69, 1],
  [1, 49, 0.27, 1],
  [0, 6, 1.84, 1],
  [0, 5, 1.3, 1],
  [0, 17, 0.96, 1],
  [1, 11, 1.01, 1],
  [1, 21, 0.98, 1],
  [0, 5, 0.35, 1],
  [1, 19, 1.02, 1],
  [0, 33, 0.85, 1],
];

// firthmodels' make_separation_data(seed=42, n=100): separator (quasi-complete separation: every
// row with separator 1 has y = 1), x1 ~ N(0,1), x2 ~ U(-1,1), x3 ~ Exp(2), y.
const SEP_SEPARATOR =
  "0010010000010100001000110000000100000000010011000000000000000000000000001000000000100000000000000001";
const SEP_Y =
  "0010010101111101011110111010010100111011111011101101101101101001101011101111001111111101100100010011";
const SEP_X1 = [
  0.3997742267234366, -0.9054790553600608, -0.3781625540393897, 1.2992282977860654,
  -0.35626397106142593, 0.7375155684670865, -0.933617680009877, -0.20543755786763002,
  -0.9500220549105812, -0.3390330759005625, 0.8403081374573955, -1.7273204231923487,
  0.43442364354585733, 0.2377356023322779, -0.5941499556967944, -1.4460578543884546,
  0.07212950771386951, -0.5294927090638024, 0.23267621135470395, 0.02185214552344288,
  1.6017788913209154, -0.23935562747302427, -1.023497492621865, 0.17927563495631615,
  0.21999668397176517, 1.3591875752404365, 0.8351112459145785, 0.35687105914950934,
  1.4633028912195618, -1.188763054322851, -0.6397515327497477, -0.9265759414055249,
  -0.38980980315576796, -1.3766861475563088, 0.6351509468144043, -0.22222269709877338,
  -1.4708062945026579, -1.0155790812075416, 0.3135138474501953, 0.8381265678943811,
  1.9967308916917865, 2.9138624660073296, 0.4144094332759964, -0.9895381200318641,
  -2.132046280731309, 0.2677114623438358, -0.812941095310326, -0.41535726017968533,
  -0.6120967990598081, -0.14079088641638526, 1.0659802307876436, 0.15704856744534462,
  -0.1586348370386883, -1.0356537528258116, -1.674682944704357, -0.4863079090733309,
  -0.05378255081832049, 1.767929913579883, 0.13027452147288585, 0.9827395110230576,
  -0.49929559853915206, -1.1849437664170246, -0.9651167622323719, -0.7252260645357532,
  2.1284697324351645, -0.8213866792243861, 0.838489203736345, -0.9029271780870264,
  0.9315730128742441, 0.38495096610586316, -0.1566378976580904, -0.040762526135434025,
  -0.6547876954293904, 0.44607220148208054, -0.45498348034078, -1.2256057637672482,
  -1.2779375743196193, 0.17258791772211948, 1.579091256410435, 0.15999161357343825,
  -0.11863832610988256, 0.2858261396025429, 1.3060017417068248, 0.21938250136385634,
  -0.41092723083373717, 1.1062887100598888, 0.4287564384616135, 1.535755991995992,
  0.18323443722190613, -1.2244690317205003, -1.368159199245665, 1.6509279322312496,
  1.723665720783297, -0.17951921328260065, -0.38318732113598775, 1.4614442922422022,
  -1.107045682043488, -0.8947270189558264, 0.6433267946890444, -0.3946051228595896,
];
const SEP_X2 = [
  0.0014823724046846287, -0.7122049948974984, -0.9721274245835969, -0.5406879400022895,
  -0.7363555644269579, 0.35531734722571495, -0.7563349907429378, 0.012659863241266,
  0.38852487128577295, 0.16223321844180472, -0.6004486966798848, 0.6082490523645254,
  0.4308142592316033, 0.4779680078310835, -0.7378844968853735, -0.7524923926993108,
  0.8551251020130153, -0.20484361235011872, -0.3981026164381205, -0.02283190929693335,
  0.32572842552716486, 0.9112465140939399, -0.42710754623589, 0.8496168586240542,
  -0.9502810172274874, 0.11039608465364936, 0.2679502233621702, -0.7882051924984934,
  -0.7193208058721747, -0.16177136136739234, 0.9324638242863634, 0.19208510646874566,
  0.8660464432004225, 0.6087218312259415, -0.06523679688941697, 0.5695268985043749,
  -0.9643264320460245, -0.7817120064685301, 0.6588572297654727, 0.5936341766503235,
  -0.5347185160671326, 0.061539181198106974, 0.21203164140002184, 0.7354779075520224,
  0.20621431467745133, -0.17485686145263934, -0.2516319131856346, -0.14823582725298023,
  0.30386205115994835, 0.7349812635046498, -0.09220623584740051, -0.5043208740972838,
  -0.5266752740048377, 0.4920285604868928, 0.6331375268478208, -0.7894438402917501,
  -0.8668822860896437, 0.18886732751290358, -0.7076535116146034, 0.6493283809126826,
  -0.37933065215185113, -0.7122561340577147, 0.8419409449749005, -0.6689365545294437,
  -0.4305598353241289, -0.6927732096158827, -0.7690198726692901, -0.9577039673271199,
  -0.8892091816714798, -0.6507170581282946, -0.8932361347456492, 0.18228763222194244,
  0.3614290535990128, -0.21273908633594352, -0.3640178060959012, 0.00905247404446019,
  0.7500098844692171, 0.702263253644412, -0.9130498759744161, -0.6370031808069518,
  -0.526510257791208, -0.5012248483355763, 0.14246530348554542, -0.16747514859361545,
  -0.901491760144812, -0.2527717230808568, 0.04750589743527445, -0.7966561941925681,
  0.6669171075771194, -0.8960762670697915, 0.8496837380361242, -0.801773716840249,
  0.6871499031955055, 0.8053062878552342, 0.9591413611731854, 0.6040517605471871,
  0.5589550815426578, 0.28496655199109533, 0.557992709156258, -0.7308955831737058,
];
const SEP_X3 = [
  2.3313052200512545, 0.3337605880255927, 1.9783254039368734, 1.534515752824767, 0.7151287425920011,
  1.420288528524708, 1.8045084743468345, 0.4634337129677723, 0.836165632430089, 0.8454563286462733,
  0.2248493123308291, 0.579291129333571, 2.052123346836581, 2.3901906901716616, 1.1478582354184488,
  1.199879235331462, 0.7957183594845214, 2.333238217732635, 0.8124852241651737, 1.9163366628397995,
  1.2802230445415057, 1.2005621100997437, 5.74651178011786, 4.289707407007086, 1.907896102991602,
  2.3858104557976376, 0.29594023656692336, 0.9270072505669571, 2.6053890658302272,
  2.0460224107093348, 0.47343055507780907, 6.211686972313253, 0.07675913447161661,
  2.2267275671626443, 0.1928552470391237, 4.914597676948794, 0.1731583533588354, 3.10331972860045,
  0.36215052007583104, 9.081061938041456, 1.156172558933676, 2.348573595768188, 1.9587784006078333,
  1.3397849654425695, 2.8840598221048466, 1.4800254909042105, 5.481205415547317,
  0.12209182733861215, 10.717730948350626, 1.6556811016841133, 0.5896785580306078,
  1.1731252117342814, 2.4860997390387447, 1.9936337631451841, 4.17501341723339, 4.551476415573242,
  1.8910935146067458, 3.148631880547537, 1.3443514227645184, 0.23003281958399782, 1.087773123153639,
  0.588027358555777, 3.9437363873862963, 0.4578068868651926, 2.5481948963489347, 4.545626711111228,
  0.2677207321506764, 1.8987138713258163, 5.216861178886207, 1.031983927459212, 0.9843213841879267,
  1.3280853946501288, 0.4118898660017679, 0.3601697120682387, 6.214102979647051, 4.801959882625737,
  1.1776945396419616, 0.6469800162646203, 2.6883186506699293, 8.695789144977006, 4.3345843908189226,
  0.9721668679522925, 1.3244849597715673, 2.1910286724659485, 1.5016454773633314,
  0.6481373469419698, 0.6423046159831759, 2.1661974158112276, 6.986012855154036, 0.3833483939842128,
  2.3784274957731837, 5.249363657304273, 0.025475748217447268, 1.097332249118571, 2.695874348714004,
  4.546826227873748, 5.634789843488806, 0.6680181658350329, 0.1411755013885757, 0.6827552770101052,
];

test("sex2 (logistf's documentation example): coefficients and profile intervals as logistf >= 1.24 prints them", () => {
  const { X, y } = sex2();
  const fit = fitFirthLogistic(X, y, { names: SEX2_TERMS });
  assert.equal(fit.method, "firth");
  assert.deepEqual(fit.terms, ["(Intercept)", ...SEX2_TERMS]);
  assert.equal(fit.intervalMethod, "profile penalized likelihood");
  assert.deepEqual(fit.warnings, []);
  assert.equal(fit.converged, true);
  // firthlogist's test_firthlogist.py, fixture sex2 (logistf's values; order intercept first here)
  const coef = [
    "0.12025405",
    "-1.10598131",
    "-0.06881673",
    "2.26887464",
    "-2.11140817",
    "-0.78831694",
    "3.09601166",
  ];
  const lower = [
    "-0.8185591",
    "-1.9737884",
    "-0.9414363",
    "1.2730216",
    "-3.2608611",
    "-1.6080879",
    "0.7745682",
  ];
  const upper = [
    "1.07315122",
    "-0.30742514",
    "0.78920202",
    "3.43543273",
    "-1.11773495",
    "0.01518468",
    "8.03029352",
  ];
  fit.terms.forEach((t, j) => {
    printed(fit.coefficients[j]!, coef[j]!, `coefficient ${t}`);
    printed(fit.confidenceIntervals.lower[j]!, lower[j]!, `profile lower bound ${t}`);
    printed(fit.confidenceIntervals.upper[j]!, upper[j]!, `profile upper bound ${t}`);
    near(
      fit.confidenceIntervals.oddsRatioUpper[j]!,
      Math.exp(Number(upper[j])),
      1e-6 * Math.exp(Number(upper[j])),
      `OR upper ${t}`,
    );
  });
  // easystats' parameters snapshot of logistf (SE, Chi2(1), p as printed there)
  const se = ["0.48", "0.41", "0.43", "0.54", "0.53", "0.41", "1.51"];
  const chi2 = ["0.06", "7.51", "0.02", "22.93", "19.10", "3.70", "7.90"];
  const p = ["0.802", "0.006", "0.875", null, null, "0.054", "0.005"];
  fit.terms.forEach((t, j) => {
    printed(fit.standardErrors[j]!, se[j]!, `SE ${t}`);
    printed(fit.chiSquare[j]!, chi2[j]!, `penalised LR chi-square ${t}`);
    if (p[j] === null) assert.ok(fit.pValues[j]! < 0.001, `p ${t} < .001`);
    else printed(fit.pValues[j]!, p[j]!, `p ${t}`);
    near(
      fit.pValues[j]!,
      fit.penalizedLrPValues[j]!,
      0,
      `pl = TRUE reports the penalised LR P of ${t}`,
    );
  });
  // firthlogist's README summary: SE from (X'WX)^-1 at the estimate (logistf < 1.24's var)
  const seFisher = [
    "0.485542",
    "0.42366",
    "0.443793",
    "0.548416",
    "0.543082",
    "0.417368",
    "1.67501",
  ];
  fit.terms.forEach((t, j) => {
    printed(fit.standardErrorsFisher[j]!, seFisher[j]!, `Fisher SE ${t}`);
  });
  // The model's penalised LR test: 2 (l* - l*_null) on 6 df, n = 239.
  assert.equal(fit.likelihoodRatioTest.df, 6);
  assert.equal(fit.nObs, 239);
  near(fit.likelihoodRatioTest.statistic, 2 * (fit.logLik - fit.logLikNull), 1e-12, "LR statistic");
  assert.ok(
    fit.logLik > fit.logLikNull && fit.logLikNull > -170,
    "logistf's test-basic.R: loglik > -170",
  );
});

test("sex2: logistf <= 1.23 printed the same fit to within its convergence limits (2e-6)", () => {
  // logistf's tests/testthat/test-basic.R and glow's test_full_firth_no_offset print
  // 0.12025404 -1.10598130 -0.06881673 2.26887464 -2.11140816 -0.78831694 3.09601263: logistf
  // <= 1.23 iterated with (X'WX)^-1 and step halving; 1.24+ steps with the augmented information,
  // which converges linearly, and both stop at max|step| <= xconv = 1e-5, so the weakly
  // determined dia coefficient differs by 1e-6 between versions.
  const { X, y } = sex2();
  const fit = fitFirth(X, y, { names: SEX2_TERMS });
  const old = [
    0.12025404, -1.1059813, -0.06881673, 2.26887464, -2.11140816, -0.78831694, 3.09601263,
  ];
  old.forEach((b, j) => {
    near(fit.coefficients[j]!, b, 2e-6, `coefficient ${fit.terms[j]}`);
  });
  // glow: logistf(case ~ age+oc+vic+vicl+vis+dia+offset(offset)) and the same without intercept
  const offset = Array.from(SEX2_OFFSET, Number);
  const withOffset = fitFirth(X, y, { names: SEX2_TERMS, offset });
  const gOffset = [-0.5679234, -1.1715911, 0.1568537, 2.4752617, -2.2125007, -0.8604622, 2.739714];
  gOffset.forEach((b, j) => {
    near(withOffset.coefficients[j]!, b, 3e-6, `offset model ${withOffset.terms[j]}`);
  });
  const noIntercept = fitFirth(X, y, { names: SEX2_TERMS, offset, intercept: false });
  const gNoInt = [-1.2513849, -0.3141151, 2.2066573, -2.2988439, -0.9922712, 2.7046574];
  gNoInt.forEach((b, j) => {
    near(noIntercept.coefficients[j]!, b, 3e-6, `no-intercept model ${noIntercept.terms[j]}`);
  });
  assert.equal(noIntercept.df, 6);
});

test("sexagg with COUNT weights (logistf's second documentation example) reproduces sex2", () => {
  const X = SEXAGG.map((r) => r.slice(1, 7));
  const y = SEXAGG.map((r) => r[0]!);
  const weights = SEXAGG.map((r) => r[7]!);
  const agg = fitFirthLogistic(X, y, { names: SEX2_TERMS, weights });
  const coef = [
    "0.12025405",
    "-1.10598131",
    "-0.06881673",
    "2.26887464",
    "-2.11140817",
    "-0.78831694",
    "3.09601166",
  ];
  const upper = [
    "1.07315122",
    "-0.30742514",
    "0.78920202",
    "3.43543273",
    "-1.11773495",
    "0.01518468",
    "8.03029352",
  ];
  agg.terms.forEach((t, j) => {
    printed(agg.coefficients[j]!, coef[j]!, `weighted coefficient ${t}`);
    printed(agg.confidenceIntervals.upper[j]!, upper[j]!, `weighted upper bound ${t}`);
  });
  assert.equal(agg.nObs, 239);
  const { X: X2, y: y2 } = sex2();
  const full = fitFirth(X2, y2, { names: SEX2_TERMS });
  near(agg.logLik, full.logLik, 1e-9, "the same penalised log-likelihood");
  near(agg.likelihoodRatioTest.statistic, full.likelihoodRatioTest.statistic, 1e-8, "LR test");
});

test("endometrial cancer (Heinze & Schemper 2002): quasi-complete separation on NV, logistf's estimates and intervals", () => {
  const X = ENDOMETRIAL.map((r) => r.slice(0, 3));
  const y = ENDOMETRIAL.map((r) => r[3]!);
  // Every patient with NV = 1 has HG = 1: maximum likelihood diverges.
  const ml = fitLogistic(X, y, { names: ["NV", "PI", "EH"] });
  assert.equal(ml.separation, "quasi-complete");
  // The exact linear-programming check agrees (Heinze & Schemper: quasi-complete on NV).
  assert.equal(
    checkSeparation(
      X.map((r) => [1, ...r]),
      y,
    ).kind,
    "quasi-complete",
  );
  const fit = fitFirthLogistic(X, y, { names: ["NV", "PI", "EH"] });
  assert.deepEqual(fit.warnings, []);
  const coef = ["3.77455951", "2.92927330", "-0.03475175", "-2.60416387"];
  const lower = ["1.0825371", "0.6097244", "-0.1244587", "-4.3651832"];
  const upper = ["7.20928050", "7.85463171", "0.04045547", "-1.23272106"];
  fit.terms.forEach((t, j) => {
    printed(fit.coefficients[j]!, coef[j]!, `coefficient ${t}`);
    printed(fit.confidenceIntervals.lower[j]!, lower[j]!, `lower ${t}`);
    printed(fit.confidenceIntervals.upper[j]!, upper[j]!, `upper ${t}`);
  });
  assert.ok(
    Number.isFinite(fit.oddsRatios[1]!) && fit.oddsRatios[1]! < 20,
    "finite odds ratio of NV",
  );
  // The point estimate alone (for refitting in bootstraps): logistf's coefficients, fitFirth's bits.
  const estimate = fitFirthCoefficients(X, y)!;
  coef.forEach((c, j) => {
    printed(estimate[j]!, c, `fitFirthCoefficients ${fit.terms[j]}`);
  });
  assert.deepEqual(estimate, fitFirth(X, y).coefficients);
});

test("quasi-separated data (firthmodels' logistf comparison): coefficients, SE, penalised LR P and profile intervals to 10 digits", () => {
  const X = SEP_X1.map((_, i) => [Number(SEP_SEPARATOR[i]), SEP_X1[i]!, SEP_X2[i]!, SEP_X3[i]!]);
  const y = Array.from(SEP_Y, Number);
  const fit = fitFirthLogistic(X, y);
  // firthmodels lists the intercept last; here it is first.
  const coef = ["-0.4434562830", "3.6577140153", "0.6759781501", "-0.8633119501", "0.3385788510"];
  const se = ["0.3452906671", "1.4822786334", "0.2687886213", "0.3874453554", "0.1370778814"];
  const p = [
    "0.1997147194",
    "0.0002084147149",
    "0.0093173148959",
    "0.0236385713206",
    "0.0055887969164",
  ];
  const lower = ["-1.16089382506", "1.3901042899", "0.1602568036", "-1.6677883758", "0.0893054012"];
  const upper = ["0.2295139209", "8.5876062114", "1.2568999211", "-0.1135186948", "0.6572681313"];
  fit.terms.forEach((t, j) => {
    printed(fit.coefficients[j]!, coef[j]!, `coefficient ${t}`);
    printed(fit.standardErrors[j]!, se[j]!, `SE ${t}`);
    printed(fit.pValues[j]!, p[j]!, `penalised LR P ${t}`);
    printed(fit.confidenceIntervals.lower[j]!, lower[j]!, `lower ${t}`);
    printed(fit.confidenceIntervals.upper[j]!, upper[j]!, `upper ${t}`);
  });
  assert.equal(fitLogistic(X, y).separation, "quasi-complete");
});

test("intercept only, no events (hand-derived): logit((0 + 1/2)/(n + 1)), SEs, penalised LR test, profile interval", () => {
  // X = 1, n = 10, no event: h_i = 1/n, so U* = Σ(y − π) + Σ h(1/2 − π) = s − nπ + 1/2 − π = 0
  // gives π = (s + 1/2)/(n + 1) = 1/22 and β = log(1/21). SE from the augmented information
  // (n + 1)π(1 − π) = 231/484: 22/√231; from nπ(1 − π) = 210/484: 22/√210.
  const n = 10;
  const X = Array.from({ length: n }, () => []);
  const y = new Array<number>(n).fill(0);
  const ml = fitLogistic(X, y);
  assert.equal(ml.separation, "complete", "ML diverges");
  // logistf's SE comes from the information one step before the last (off by the order of the last
  // step, 1e-6 here with the default xconv = 1e-5): converge tightly to compare with the closed form.
  const fit = fitFirthLogistic(X, y, { control: TIGHT });
  near(fit.coefficients[0]!, -Math.log(21), 1e-9, "β = log(1/21)");
  near(fit.standardErrors[0]!, 22 / Math.sqrt(231), 1e-9, "SE");
  near(fit.standardErrorsFisher[0]!, 22 / Math.sqrt(210), 1e-9, "Fisher SE");
  // l*(β) = s log π + (n − s) log(1 − π) + ½ log(nπ(1 − π)) = (s + ½) log π + (n − s + ½) log(1 − π) + ½ log n
  const lstar = (b: number) => {
    const p = 1 / (1 + Math.exp(-b));
    return 0.5 * Math.log(p) + (n + 0.5) * Math.log(1 - p) + 0.5 * Math.log(n);
  };
  near(
    fit.logLik,
    0.5 * Math.log(1 / 22) + 10.5 * Math.log(21 / 22) + 0.5 * Math.log(10),
    1e-12,
    "l*",
  );
  // penalised LR test of β = 0: l*(0) = 10 log ½ + ½ log(10/4)
  const chi2 = 2 * (fit.logLik - (10 * Math.log(0.5) + 0.5 * Math.log(2.5)));
  near(fit.chiSquare[0]!, chi2, 1e-9, "penalised LR statistic");
  // Profile interval: the two roots of l*(β) = l*max − χ²₁(0.95)/2, by bisection on the closed form.
  const cut = lstar(-Math.log(21)) - 3.841458820694124 / 2;
  const root = (a: number, b: number) => {
    for (let it = 0; it < 200; it++) {
      const m = (a + b) / 2;
      if (lstar(a) - cut > 0 === lstar(m) - cut > 0) a = m;
      else b = m;
    }
    return (a + b) / 2;
  };
  near(fit.confidenceIntervals.lower[0]!, root(-20, -Math.log(21)), 1e-7, "profile lower bound");
  near(fit.confidenceIntervals.upper[0]!, root(-Math.log(21), 5), 1e-7, "profile upper bound");
});

/** Rows of a 2 x 2 table: x = 0 with a events / b non-events, x = 1 with c events / d non-events. */
function table2x2(a: number, b: number, c: number, d: number): { X: number[][]; y: number[] } {
  const X: number[][] = [];
  const y: number[] = [];
  const add = (x: number, yy: number, k: number) => {
    for (let i = 0; i < k; i++) {
      X.push([x]);
      y.push(yy);
    }
  };
  add(0, 1, a);
  add(0, 0, b);
  add(1, 1, c);
  add(1, 0, d);
  return { X, y };
}

/**
 * Saturated 2 x 2 model: the hat values are 1/n_g in group g, so each group's modified score gives
 * π_g = (s_g + ½)/(n_g + 1): the log odds ratio with ½ added to every cell (Haldane-Anscombe).
 */
function haldane(a: number, b: number, c: number, d: number) {
  return {
    b0: Math.log((a + 0.5) / (b + 0.5)),
    b1: Math.log(((c + 0.5) / (d + 0.5)) * ((b + 0.5) / (a + 0.5))),
  };
}

test("2 x 2 table with complete separation (hand-derived): Haldane-Anscombe estimates, SEs and penalised LR tests", () => {
  // x = 0: 0 events / 5 non-events; x = 1: 5 events / 0 non-events.
  const { X, y } = table2x2(0, 5, 5, 0);
  const ml = fitLogistic(X, y);
  assert.equal(ml.separation, "complete");
  assert.ok(Math.abs(ml.coefficients[1]!) > 20, "the ML slope diverges");
  const fit = fitFirthLogistic(X, y, { control: TIGHT });
  const h = haldane(0, 5, 5, 0);
  near(fit.coefficients[0]!, h.b0, 1e-9, "intercept = log(0.5/5.5) = −log 11");
  near(fit.coefficients[1]!, h.b1, 1e-9, "slope = log(5.5 · 5.5 / (0.5 · 0.5)) = log 121");
  near(fit.coefficients[1]!, Math.log(121), 1e-9, "log 121");
  // Augmented information per group (n_g + 1)π_g(1 − π_g) = 6 · 11/144: var(β1) = 2 · 144/66.
  near(fit.standardErrors[1]!, Math.sqrt(48 / 11), 1e-9, "SE of the slope");
  near(fit.standardErrors[0]!, Math.sqrt(24 / 11), 1e-9, "SE of the intercept");
  // Fisher information per group n_g π_g(1 − π_g) = 55/144: var(β1) = 2 · 144/55.
  near(fit.standardErrorsFisher[1]!, Math.sqrt(288 / 55), 1e-9, "Fisher SE of the slope");
  // l* = Σ_g (s_g + ½) log π_g + (n_g − s_g + ½) log(1 − π_g) + ½ log n_g (|X'WX| = Π n_g π_g(1 − π_g))
  const group = (s: number, m: number) => {
    const p = (s + 0.5) / (m + 1);
    return (s + 0.5) * Math.log(p) + (m - s + 0.5) * Math.log(1 - p) + 0.5 * Math.log(m);
  };
  const lFull = group(0, 5) + group(5, 5);
  near(fit.logLik, lFull, 1e-12, "penalised log-likelihood");
  // Null model (β1 = 0), penalised over the full design: l* = (s + 1) log π + (n − s + 1) log(1 − π)
  // + ½ log(n0 n1), maximal at π = (s + 1)/(n + 2) = ½.
  const lNull = 6 * Math.log(0.5) + 6 * Math.log(0.5) + 0.5 * Math.log(25);
  near(fit.logLikNull, lNull, 1e-9, "null penalised log-likelihood");
  near(fit.likelihoodRatioTest.statistic, 2 * (lFull - lNull), 1e-8, "model LR test");
  near(fit.chiSquare[1]!, 2 * (lFull - lNull), 1e-8, "slope's penalised LR test = model test");
  // β0 = 0 (π0 = ½ fixed, penalty ½ log(n0/4)), π1 free: π1 = (s1 + ½)/(n1 + 1).
  const lB0 = 5 * Math.log(0.5) + 0.5 * Math.log(5 / 4) + group(5, 5);
  near(fit.chiSquare[0]!, 2 * (lFull - lB0), 1e-8, "intercept's penalised LR test");
  near(fit.pValues[1]!, fit.penalizedLrPValues[1]!, 0, "P of the slope");
  assert.ok(fit.pValues[1]! < 0.01 && Number.isFinite(fit.confidenceIntervals.upper[1]!));
  assert.ok(fit.confidenceIntervals.lower[1]! > 0, "the profile interval excludes OR = 1");
});

test("2 x 2 tables without and with quasi-complete separation: Haldane-Anscombe estimates", () => {
  for (const [a, b, c, d] of [
    [3, 7, 8, 4],
    [0, 6, 4, 3],
    [12, 1, 2, 9],
  ] as const) {
    const { X, y } = table2x2(a, b, c, d);
    const fit = fitFirth(X, y);
    const h = haldane(a, b, c, d);
    near(fit.coefficients[0]!, h.b0, 1e-8, `intercept ${a},${b},${c},${d}`);
    near(fit.coefficients[1]!, h.b1, 1e-8, `log OR ${a},${b},${c},${d}`);
  }
});

test("tau = 0 is maximum likelihood: the closed-form 2 x 2 MLE and glm's estimates", () => {
  const { X, y } = table2x2(3, 7, 8, 4);
  const fit = fitFirth(X, y, { tau: 0, control: TIGHT });
  near(fit.coefficients[0]!, Math.log(3 / 7), 1e-9, "log(3/7)");
  near(fit.coefficients[1]!, Math.log(8 / 4 / (3 / 7)), 1e-9, "log OR");
  // Woolf: SE(log OR) = sqrt(1/a + 1/b + 1/c + 1/d)
  near(fit.standardErrors[1]!, Math.sqrt(1 / 3 + 1 / 7 + 1 / 8 + 1 / 4), 1e-9, "Woolf SE");
});

test("pl = FALSE: Wald intervals and Wald P values", () => {
  const X = ENDOMETRIAL.map((r) => r.slice(0, 3));
  const y = ENDOMETRIAL.map((r) => r[3]!);
  const fit = fitFirthLogistic(X, y, { profile: false, level: 0.9 });
  assert.equal(fit.intervalMethod, "Wald");
  assert.equal(fit.profile, null);
  const q = 1.6448536269514722; // qnorm(0.95)
  fit.terms.forEach((t, j) => {
    const b = fit.coefficients[j]!;
    const se = fit.standardErrors[j]!;
    near(fit.confidenceIntervals.lower[j]!, b - q * se, 1e-12, `lower ${t}`);
    near(fit.confidenceIntervals.upper[j]!, b + q * se, 1e-12, `upper ${t}`);
    near(fit.chiSquare[j]!, (b / se) ** 2, 1e-12, `Wald chi-square ${t}`);
    near(fit.pValues[j]!, fit.waldPValues[j]!, 0, `Wald P ${t}`);
  });
});

test("a fit stopped by maxIterations warns that it did not converge", () => {
  const X = ENDOMETRIAL.map((r) => r.slice(0, 3));
  const y = ENDOMETRIAL.map((r) => r[3]!);
  const fit = fitFirth(X, y, { control: { maxIterations: 2 } });
  assert.equal(fit.converged, false);
  assert.ok(
    fit.warnings.some((w) => w.includes("did not converge")),
    fit.warnings.join("; "),
  );
});

test("bad input: clear errors naming the cause", () => {
  const { X, y } = table2x2(3, 7, 8, 4);
  assert.throws(
    () =>
      fitFirth(
        X,
        y.map((v) => v * 2),
      ),
    /outcome must be 0 or 1/,
  );
  assert.throws(() => fitFirth(X, y.slice(1)), /X has 22 rows but y has 21/);
  assert.throws(() => fitFirth([], []), /no observations/);
  assert.throws(
    () =>
      fitFirth(
        X.map((r) => [r[0]!, 2 * r[0]!]),
        y,
        { names: ["a", "twice_a"] },
      ),
    /rank deficient: column 'twice_a'/,
  );
  assert.throws(
    () =>
      fitFirth(
        X.map((r, i) => (i === 4 ? [Number.NaN] : r)),
        y,
      ),
    /X\[5\]\[1\] is NaN/,
  );
  assert.throws(
    () => fitFirth(X, y, { weights: y.map((_, i) => (i === 2 ? -1 : 1)) }),
    /weights\[3\] = -1/,
  );
  assert.throws(() => fitFirth(X, y, { init: [0] }), /init has 1 values, expected 2/);
  assert.throws(() => fitFirthLogistic(X, y, { level: 1.5 }), /level must be in \(0, 1\)/);
});
