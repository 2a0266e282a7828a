// Chinese free text of the simulated streams: descriptions, summaries, replies, people and phone numbers.
// Templates use {p} place, {b} building number, {n} a small number.
import type { Rng } from './random';

const CASE_TEXT: Record<string, readonly string[]> = {
  楼道堆物: ['{p}{b}号楼楼道内堆放纸板、旧家具等杂物，影响通行', '{p}{b}号楼{n}楼楼道长期堆物，存在消防隐患'],
  飞线充电: ['{p}{b}号楼有居民从楼上私拉电线为电动自行车充电', '{p}{b}号楼前发现飞线充电，存在火灾隐患'],
  非机动车乱停放: ['{p}{b}号楼门口非机动车乱停放，堵塞通道', '{p}出入口共享单车乱停放'],
  小区维修: ['{p}{b}号楼外墙渗水，需维修', '{p}{b}号楼单元门门禁损坏', '{p}{b}号楼屋面漏水'],
  物业管理: ['{p}物业保洁不到位，楼道垃圾未及时清运', '{p}公共区域照明损坏，物业未及时处理'],
  车棚破损: ['{p}非机动车车棚顶棚破损，雨天漏雨', '{p}车棚充电桩损坏'],
  垃圾分类违规: ['{p}垃圾箱房非投放时间有居民乱扔垃圾袋', '{p}湿垃圾桶内混投干垃圾'],
  暴露垃圾: ['{p}路边有暴露垃圾未清运', '{p}绿化带内堆积生活垃圾'],
  绿化带乱停放: ['{p}绿化带内乱停放非机动车，踩踏绿化'],
  占道经营: ['{p}有流动摊贩占道经营', '{p}沿街商铺跨门经营，占用人行道'],
  乱张贴: ['{p}墙面、电线杆上有小广告乱张贴'],
  违规停车: ['{p}机动车违规停放，占用非机动车道', '{p}车辆停放在人行道上，影响通行'],
  停车难: ['{p}周边夜间停车难，车辆停满道路两侧'],
  施工扰民: ['{p}附近工地夜间施工，噪音扰民', '{p}工地渣土未覆盖，扬尘影响居民'],
  道路积水: ['{p}路段积水约{n}0厘米，影响车辆通行', '{p}雨后积水严重，行人无法通过'],
  排污总管堵塞: ['{p}排污总管堵塞，污水外溢', '{p}化粪池满溢，排污管道不畅'],
  无主电线杆: ['{p}有废弃无主电线杆，存在倾倒隐患'],
  路面破损: ['{p}路面坑洼破损，影响通行安全', '{p}人行道地砖松动破损'],
  窨井盖缺失: ['{p}窨井盖缺失，存在安全隐患', '{p}窨井盖破损松动'],
  餐饮污水乱排放: ['{p}餐饮店将污水直接倒入雨水井', '{p}餐饮店隔油池满溢，油污流入雨水管'],
  油烟扰民: ['{p}沿街餐饮店油烟直排，影响楼上居民'],
  河道漂浮物: ['{p}河面有漂浮垃圾', '{p}水面漂浮物较多，需打捞'],
  消防通道堵塞: ['{p}消防通道被车辆堵塞', '{p}{b}号楼消防通道内堆放杂物'],
  大树扰民: ['{p}{b}号楼前大树遮挡采光，枝叶伸入居民窗户'],
  树木倒伏: ['{p}树木倒伏，压住路边车辆', '{p}大树倾斜倒伏，阻断道路'],
  架空线: ['{p}架空线垂落，离地面较低', '{p}架空线缠绕杂乱，存在安全隐患'],
};

const TICKET_TEXT: Record<string, readonly string[]> = {
  物业管理: ['来电反映{p}物业服务不到位，公共区域长期无人打扫，要求物业整改', '来电反映{p}物业费上涨未公示，要求说明'],
  小区维修: ['来电反映{p}{b}号楼顶楼漏水，多次报修未果，要求尽快维修', '来电反映{p}{b}号楼电梯经常故障，要求维修'],
  垃圾分类: ['来电反映{p}垃圾箱房开放时间太短，不便投放', '来电反映{p}垃圾清运不及时，异味严重'],
  大树扰民: ['来电反映{p}{b}号楼前大树过高，遮挡采光，要求修剪', '来电反映{p}树木枝叶碰到电线，担心安全'],
  停车难: ['来电反映{p}周边停车难，要求增设停车位', '来电反映{p}外来车辆占用小区车位'],
  噪音扰民: ['来电反映{p}附近夜间施工噪音大，影响休息', '来电反映{p}楼下商铺音响声音过大'],
  助餐点布局: ['来电咨询{p}附近社区助餐点位置及开放时间', '来电建议在{p}周边增设老年助餐点'],
  精品小区改造: ['来电咨询{p}精品小区改造的施工进度', '来电反映{p}改造施工材料堆放影响出行'],
  交通出行: ['来电反映{p}路口红绿灯时间过短，行人过街不便', '来电建议{p}增设公交站点'],
  政务服务: ['来电咨询社保卡补办所需材料', '来电咨询敬老卡申领流程及办理地点'],
};

const TICKET_REPLY: Record<string, string> = {
  物业管理: '已联系物业公司落实整改，居委会跟踪督促',
  小区维修: '已安排维修单位上门查看并维修',
  垃圾分类: '已协调居委会和物业调整垃圾箱房开放时间并加强清运',
  大树扰民: '已联系绿化市容所安排修剪',
  停车难: '已会同居委会、物业研究挖潜增设车位方案',
  噪音扰民: '已联系城管中队现场核查，责令施工单位控制作业时间',
  助餐点布局: '已告知就近助餐点地址和开放时间',
  精品小区改造: '已告知改造工程进度安排，施工单位已规范材料堆放',
  交通出行: '已将诉求转交区交通部门研究',
  政务服务: '已告知办理所需材料及社区事务受理服务中心地址',
};

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '沈'];
const GIVEN = ['伟', '敏', '静', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '华', '丽', '强', '平', '刚', '琳', '斌'];
const MOBILE_PREFIX = ['13', '15', '17', '18', '19', '13', '15', '18'];

function fill(template: string, rng: Rng, place: string, building?: number): string {
  return template
    .replace('{p}', place)
    .replace('{b}', String(building ?? 1 + rng.int(60)))
    .replace('{n}', String(2 + rng.int(5)));
}

/** 城运案件 description from the 小类 and the place. */
export function caseDescription(rng: Rng, subcategory: string, place: string, building?: number): string {
  return fill(rng.pick(CASE_TEXT[subcategory] ?? ['{p}发现问题，需处置']), rng, place, building);
}

/** 12345 工单 summary from the topic and the place. */
export function ticketSummary(rng: Rng, topic: string, place: string, building?: number): string {
  return fill(rng.pick(TICKET_TEXT[topic] ?? ['来电反映{p}相关问题']), rng, place, building);
}

export const ticketReply = (topic: string): string => TICKET_REPLY[topic] ?? '已转相关部门办理并答复来电人';

/** A random mainland mobile number (11 digits, 1[3-9]…). */
export function mobile(rng: Rng): string {
  let s = rng.pick(MOBILE_PREFIX) + String(rng.int(10));
  for (let k = 0; k < 8; k++) s += String(rng.int(10));
  return s;
}

/** A person's name, e.g. for an inspector. */
export const personName = (rng: Rng): string => rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.chance(0.3) ? rng.pick(GIVEN) : '');

/** 联系人王先生13912345678: personal data embedded in free text, which screens must mask. */
export const contactNote = (rng: Rng): string => `，联系人${rng.pick(SURNAMES)}${rng.chance(0.5) ? '先生' : '女士'}${mobile(rng)}`;
